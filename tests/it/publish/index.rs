//! `publish::index`: reading a project's files from an index's simple API,
//! the JSON form (PEP 691) and the HTML form (PEP 503), against a loopback
//! server that answers each connection with a scripted response.

use cargo_pypi::publish::index::{
    client, existing_files, parse_html, parse_json, project_url, IndexAuth, IndexError, IndexFile,
};
use cargo_pypi::publish::secret::Secret;
use reqwest::Url;
use std::time::Duration;

#[test]
fn project_urls_are_normalized() {
    let url = |u: &str| Url::parse(u).unwrap();
    let page = project_url(&url("https://pypi.org/simple"), "Demo_Pkg.x").unwrap();
    assert_eq!(page.as_str(), "https://pypi.org/simple/demo-pkg-x/");
    let page = project_url(&url("http://127.0.0.1:8080/simple/"), "demo").unwrap();
    assert_eq!(page.as_str(), "http://127.0.0.1:8080/simple/demo/");
}

/// A server on loopback answering each connection with the next of
/// `answers`; it keeps the request heads.
fn serve(answers: Vec<String>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = heads.clone();
    std::thread::spawn(move || {
        for answer in answers {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            kept.lock().unwrap().push(head);
            stream.write_all(answer.as_bytes()).unwrap();
        }
    });
    (base, heads)
}

fn http(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn the_json_form_is_asked_for_and_read() {
    let json = r#"{"meta":{"api-version":"1.0"},"name":"demo-pkg","files":[{"filename":"demo_pkg-1.0.tar.gz","url":"x","hashes":{"sha256":"ab"}}]}"#;
    let (base, heads) = serve(vec![http(
        "200 OK",
        "Content-Type: application/vnd.pypi.simple.v1+json\r\n",
        json,
    )]);
    let client = client(Duration::from_secs(5)).unwrap();
    let password = Secret::new("pw-123456");
    let auth = IndexAuth {
        username: "u",
        password: &password,
    };
    let index = Url::parse(&format!("{base}/simple")).unwrap();
    let files = existing_files(&client, &index, "Demo_Pkg", Some(auth)).unwrap();
    assert_eq!(
        files,
        [IndexFile {
            filename: "demo_pkg-1.0.tar.gz".into(),
            sha256: Some("ab".into()),
            other_hash: None,
            href: Some("x".into()),
        }]
    );
    let head = heads.lock().unwrap()[0].to_ascii_lowercase();
    assert!(head.starts_with("get /simple/demo-pkg/ http/1.1"), "{head}");
    assert!(
        head.contains("accept: application/vnd.pypi.simple.v1+json"),
        "{head}"
    );
    assert!(
        head.contains("authorization: basic dtpwdy0xmjm0nty="),
        "{head}"
    );
    assert!(head.contains("user-agent: cargo-pypi/"), "{head}");
}

#[test]
fn missing_projects_refusals_and_failures() {
    let (base, _) = serve(vec![
        http("404 Not Found", "", "no such project"),
        http("503 Service Unavailable", "Retry-After: 3\r\n", ""),
        http("401 Unauthorized", "", ""),
        http("200 OK", "Content-Type: application/json\r\n", "[]"),
    ]);
    let client = client(Duration::from_secs(5)).unwrap();
    let index = Url::parse(&format!("{base}/simple/")).unwrap();
    assert_eq!(existing_files(&client, &index, "demo", None).unwrap(), []);
    match existing_files(&client, &index, "demo", None) {
        Err(IndexError::Unavailable {
            message,
            retry_after,
        }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(3)));
            assert!(message.contains("503 Service Unavailable"), "{message}");
            assert!(message.contains(&format!("{index}demo/")), "{message}");
        }
        other => panic!("{other:?}"),
    }
    match existing_files(&client, &index, "demo", None) {
        Err(IndexError::Http(message)) => {
            assert!(message.contains("401 Unauthorized"), "{message}");
            assert!(message.contains("wants credentials"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        existing_files(&client, &index, "demo", None),
        Err(IndexError::Http(m)) if m.contains("not a PEP 691 project page")
    ));
}

#[test]
fn a_redirect_to_another_origin_means_not_on_this_index() {
    // pypiserver sends projects it does not hold to pypi.org.
    let (elsewhere, elsewhere_heads) = serve(vec![http("200 OK", "", "<a href='x'>x</a>")]);
    let (base, _) = serve(vec![http(
        "303 See Other",
        &format!("Location: {elsewhere}/simple/demo/\r\n"),
        "",
    )]);
    let client = client(Duration::from_secs(5)).unwrap();
    let index = Url::parse(&format!("{base}/simple/")).unwrap();
    let files = existing_files(&client, &index, "demo", None).unwrap();
    assert_eq!(files, []);
    assert!(
        elsewhere_heads.lock().unwrap().is_empty(),
        "followed the redirect"
    );
}
#[test]
fn html_page_of_pypiserver_and_warehouse() {
    let page = r#"<!DOCTYPE html><html><body><h1>Links for demo</h1>
        <a href="/packages/demo-1.0.tar.gz#sha256=ABCDEF">demo-1.0.tar.gz</a><br>
        <a data-requires-python="&gt;=3.9" href='../../packages/aa/bb/demo_pkg-1.0-py3-none-any.whl#sha256=0123'>
          demo_pkg-1.0-py3-none-any.whl</a>
        <a href="https://files.example/demo_pkg-1.0%2Bx-py3-none-any.whl"></a>
        <a href="/packages/demo-0.9.tar.gz#md5=ff">demo-0.9.tar.gz</a>
    </body></html>"#;
    assert_eq!(
        parse_html(page),
        vec![
            IndexFile {
                filename: "demo-1.0.tar.gz".into(),
                sha256: Some("abcdef".into()),
                other_hash: None,
                href: Some("/packages/demo-1.0.tar.gz".into()),
            },
            IndexFile {
                filename: "demo_pkg-1.0-py3-none-any.whl".into(),
                sha256: Some("0123".into()),
                other_hash: None,
                href: Some("../../packages/aa/bb/demo_pkg-1.0-py3-none-any.whl".into()),
            },
            IndexFile {
                filename: "demo_pkg-1.0+x-py3-none-any.whl".into(),
                sha256: None,
                other_hash: None,
                href: Some("https://files.example/demo_pkg-1.0%2Bx-py3-none-any.whl".into()),
            },
            // PEP 503 allows another digest (md5 from older pypiserver), or none.
            IndexFile {
                filename: "demo-0.9.tar.gz".into(),
                sha256: None,
                other_hash: Some(("md5".into(), "ff".into())),
                href: Some("/packages/demo-0.9.tar.gz".into()),
            },
        ]
    );
}

#[test]
fn json_page() {
    let page = r#"{"meta":{"api-version":"1.1"},"name":"demo","files":[
        {"filename":"demo-1.0.tar.gz","url":"x","hashes":{"sha256":"AB","blake2b_256":"cd"}},
        {"filename":"demo-0.1.tar.gz","url":"y","hashes":{}},
        {"filename":"demo-0.0.tar.gz","url":"z","hashes":{"md5":"EE"}}]}"#;
    assert_eq!(
        parse_json(page).unwrap(),
        vec![
            IndexFile {
                filename: "demo-1.0.tar.gz".into(),
                sha256: Some("ab".into()),
                other_hash: None,
                href: Some("x".into()),
            },
            IndexFile {
                filename: "demo-0.1.tar.gz".into(),
                sha256: None,
                other_hash: None,
                href: Some("y".into()),
            },
            IndexFile {
                filename: "demo-0.0.tar.gz".into(),
                sha256: None,
                other_hash: Some(("md5".into(), "ee".into())),
                href: Some("z".into()),
            },
        ]
    );
    assert!(parse_json("{\"projects\":[]}").is_err());
}
