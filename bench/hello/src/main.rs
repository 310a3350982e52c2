//! `bench-hello --listen 127.0.0.1:PORT`: answers every GET with a short text body. The ceiling
//! Throughcare's figures are divided by (same runtime, same HTTP stack, no database, no templates).

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen = String::from("127.0.0.1:8099");
    while let Some(a) = args.next() {
        if a == "--listen" {
            listen = args.next().expect("--listen needs an address");
        }
    }
    let app = Router::new().fallback(get(|| async { "Hello, world!\n" }));
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .expect("cannot listen");
    println!("bench-hello serving at http://{}/", listener.local_addr().expect("addr"));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .expect("serve");
}
