//! Publishing to PyPI-compatible indexes: where to upload (targets), with what
//! (credentials, never printed), the upload itself, and proof that it worked.

pub mod attestation;
pub mod credentials;
pub mod index;
pub mod install;
pub mod pypirc;
pub mod secret;
pub mod target;
pub mod upload;
pub mod url;
