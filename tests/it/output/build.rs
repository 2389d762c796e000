//! `build` on a real maturin project (`bin = "bindings"`): the status lines and
//! the list of artifacts a person reads; maturin's own output is kept with `-q`.

use crate::support::{assert_transcript, TestContext};

#[test]
fn build_quiet() {
    let ctx = TestContext::fixture("bin-bindings").git_root().venv();
    let text = ctx.transcript(&["build", "-q"]);
    assert_transcript!("build_quiet", &text);
}
