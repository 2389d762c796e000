//! insta snapshots of what users read: one transcript per case (the command,
//! stdout and stderr interleaved as a terminal shows them, the exit code), so
//! any change in the output shows as a snapshot diff. The snapshots are in
//! `tests/it/snapshots/`; `INSTA_UPDATE=always cargo test --test it --
//! output::` rewrites them after an intended change (review the diff).

mod build;
mod changelog;
mod dist;
mod errors;
mod init;
mod lockstep;
mod publish;
mod release;
