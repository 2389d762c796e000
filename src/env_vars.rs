//! Every environment variable cargo-pypi reads, in one table (after uv's
//! `uv-static`): each with what it does. Code and tests name variables
//! through [`EnvVars`], never as a string of their own.

/// The environment variables cargo-pypi reads, and the groups it treats alike.
pub struct EnvVars;

impl EnvVars {
    /// A PyPI API token; read for `upload.pypi.org` only.
    pub const PYPI_API_TOKEN: &'static str = "PYPI_API_TOKEN";
    /// Another name for [`EnvVars::PYPI_API_TOKEN`], read after it; PyPI only.
    pub const PYPI_API_KEY: &'static str = "PYPI_API_KEY";
    /// A TestPyPI API token; read for `test.pypi.org` only.
    pub const TESTPYPI_API_TOKEN: &'static str = "TESTPYPI_API_TOKEN";
    /// twine's username, for [`EnvVars::TWINE_PASSWORD`] (default `__token__`).
    pub const TWINE_USERNAME: &'static str = "TWINE_USERNAME";
    /// twine's password or token; read for every index.
    pub const TWINE_PASSWORD: &'static str = "TWINE_PASSWORD";
    /// maturin's token; read for every index.
    pub const MATURIN_PYPI_TOKEN: &'static str = "MATURIN_PYPI_TOKEN";
    /// maturin's password, with [`EnvVars::MATURIN_USERNAME`] (default
    /// `__token__`), read after [`EnvVars::MATURIN_PYPI_TOKEN`]; every index.
    pub const MATURIN_PASSWORD: &'static str = "MATURIN_PASSWORD";
    /// maturin's username, for [`EnvVars::MATURIN_PASSWORD`].
    pub const MATURIN_USERNAME: &'static str = "MATURIN_USERNAME";
    /// uv's token; read for every index.
    pub const UV_PUBLISH_TOKEN: &'static str = "UV_PUBLISH_TOKEN";
    /// uv's username, for [`EnvVars::UV_PUBLISH_PASSWORD`].
    pub const UV_PUBLISH_USERNAME: &'static str = "UV_PUBLISH_USERNAME";
    /// uv's password; read for every index.
    pub const UV_PUBLISH_PASSWORD: &'static str = "UV_PUBLISH_PASSWORD";

    /// twine's upload URL: the target when no flag names one; twine's login
    /// is only sent there (see `publish::target`). May hold a login.
    pub const TWINE_REPOSITORY_URL: &'static str = "TWINE_REPOSITORY_URL";
    /// twine's repository name (a `~/.pypirc` section, `pypi`, `testpypi`),
    /// read after [`EnvVars::TWINE_REPOSITORY_URL`].
    pub const TWINE_REPOSITORY: &'static str = "TWINE_REPOSITORY";
    /// uv's upload URL: the target when no flag names one; uv's login is only
    /// sent there. May hold a login.
    pub const UV_PUBLISH_URL: &'static str = "UV_PUBLISH_URL";
    /// uv's index URL for [`EnvVars::UV_PUBLISH_URL`]: the simple index read
    /// for existing files (default: derived from the upload URL).
    pub const UV_PUBLISH_CHECK_URL: &'static str = "UV_PUBLISH_CHECK_URL";
    /// uv's index name: the `[[tool.uv.index]]` of that name in pyproject.toml
    /// (its `publish-url` and `url`), read after [`EnvVars::UV_PUBLISH_URL`].
    pub const UV_PUBLISH_INDEX: &'static str = "UV_PUBLISH_INDEX";
    /// maturin's upload URL: the target when no flag names one;
    /// [`EnvVars::MATURIN_PYPI_TOKEN`] is only sent there. May hold a login.
    pub const MATURIN_REPOSITORY_URL: &'static str = "MATURIN_REPOSITORY_URL";
    /// maturin's repository name (as [`EnvVars::TWINE_REPOSITORY`]), read after
    /// [`EnvVars::MATURIN_REPOSITORY_URL`].
    pub const MATURIN_REPOSITORY: &'static str = "MATURIN_REPOSITORY";

    /// `true` on GitHub Actions: trusted publishing is tried, a minted token masked.
    pub const GITHUB_ACTIONS: &'static str = "GITHUB_ACTIONS";
    /// Where GitHub Actions issues ID tokens (`permissions: id-token: write`).
    pub const ACTIONS_ID_TOKEN_REQUEST_URL: &'static str = "ACTIONS_ID_TOKEN_REQUEST_URL";
    /// The bearer token for [`EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL`].
    pub const ACTIONS_ID_TOKEN_REQUEST_TOKEN: &'static str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    /// `true` on GitLab CI: `doctor` checks the job's ID tokens.
    pub const GITLAB_CI: &'static str = "GITLAB_CI";
    /// An OIDC ID token for trusted publishing (GitLab CI's `id_tokens:`).
    pub const PYPI_ID_TOKEN: &'static str = "PYPI_ID_TOKEN";
    /// An OIDC ID token with audience `sigstore` (GitLab CI's `id_tokens:`),
    /// for signing attestations; on GitHub Actions one is requested instead.
    pub const SIGSTORE_ID_TOKEN: &'static str = "SIGSTORE_ID_TOKEN";
    /// pip's index URL: set with the login for verify-install, never inherited.
    pub const PIP_INDEX_URL: &'static str = "PIP_INDEX_URL";

    /// A GitHub token for the GitHub release (`contents: write`); Actions sets it.
    pub const GITHUB_TOKEN: &'static str = "GITHUB_TOKEN";
    /// GitHub CLI's token, read after [`EnvVars::GITHUB_TOKEN`].
    pub const GH_TOKEN: &'static str = "GH_TOKEN";
    /// `owner/name` of the repository the GitHub release goes to; Actions sets it.
    pub const GITHUB_REPOSITORY: &'static str = "GITHUB_REPOSITORY";
    /// GitHub's REST API (default `https://api.github.com`; GitHub Enterprise
    /// has its own, and Actions sets it).
    pub const GITHUB_API_URL: &'static str = "GITHUB_API_URL";
    /// The GitHub server (`https://github.com`): with [`EnvVars::GITHUB_API_URL`]
    /// set, a remote on this host is taken as a GitHub repository.
    pub const GITHUB_SERVER_URL: &'static str = "GITHUB_SERVER_URL";

    /// The Python that runs maturin, renders reStructuredText and creates
    /// verify-install's environment (default `python3`).
    pub const CARGO_PYPI_PYTHON: &'static str = "CARGO_PYPI_PYTHON";
    /// cargo's target folder; `build` passes it on to maturin.
    pub const CARGO_TARGET_DIR: &'static str = "CARGO_TARGET_DIR";
    /// Seconds since the epoch: the date `bump` writes into the changelog.
    pub const SOURCE_DATE_EPOCH: &'static str = "SOURCE_DATE_EPOCH";
    /// Folders where the search for a git repository stops (libgit2 reads it too).
    pub const GIT_CEILING_DIRECTORIES: &'static str = "GIT_CEILING_DIRECTORIES";
    /// The home folder: `~/.pypirc`, `~/.cache`, and `~` in messages.
    pub const HOME: &'static str = "HOME";
    /// The user's cache folder (default `~/.cache`): check-dist installs its
    /// own readme_renderer under `cargo-pypi/` there when the Python lacks it.
    pub const XDG_CACHE_HOME: &'static str = "XDG_CACHE_HOME";

    /// Every variable that holds a credential or obtains one, and the target
    /// variables (which may hold one). verify-install
    /// clears them all from the programs it runs (pip's build backends, the
    /// package, its scripts); tests clear them around the binary.
    pub const SECRETS: &'static [&'static str] = &[
        Self::PYPI_API_TOKEN,
        Self::PYPI_API_KEY,
        Self::TESTPYPI_API_TOKEN,
        Self::TWINE_USERNAME,
        Self::TWINE_PASSWORD,
        Self::MATURIN_PYPI_TOKEN,
        Self::MATURIN_PASSWORD,
        Self::MATURIN_USERNAME,
        Self::UV_PUBLISH_TOKEN,
        Self::UV_PUBLISH_USERNAME,
        Self::UV_PUBLISH_PASSWORD,
        Self::ACTIONS_ID_TOKEN_REQUEST_URL,
        Self::ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        Self::PYPI_ID_TOKEN,
        Self::SIGSTORE_ID_TOKEN,
        Self::PIP_INDEX_URL,
        Self::GITHUB_TOKEN,
        Self::GH_TOKEN,
        // Target variables: a URL may hold a login, and a developer's target
        // must not redirect what a test or an installed package does.
        Self::TWINE_REPOSITORY_URL,
        Self::TWINE_REPOSITORY,
        Self::UV_PUBLISH_URL,
        Self::UV_PUBLISH_CHECK_URL,
        Self::UV_PUBLISH_INDEX,
        Self::MATURIN_REPOSITORY_URL,
        Self::MATURIN_REPOSITORY,
    ];
}
