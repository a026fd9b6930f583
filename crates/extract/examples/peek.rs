//! Prints what extraction makes of the files given: `cargo run --example peek -- FILE...`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for input in storyline_read::expand_inputs(&args).into_iter().flatten() {
        let _ = storyline_read::read_input(&input, &Default::default(), &mut |item| {
            if let storyline_read::Item::Doc(d) = item {
                let a = storyline_extract::extract(&d);
                println!("== {}\nTITLE {:?}\nDATE {:?}\nAUTHORS {:?} OUTLET {:?} WIRE {:?} URL {:?} LANG {:?} CRAWLED {:?}\n{}\n",
                    a.source, a.title, a.published.map(|p| (p.at.to_iso(), p.source, p.confidence)), a.authors, a.outlet, a.wire, a.url, a.lang, a.crawled, a.text);
            }
            std::ops::ControlFlow::Continue(())
        });
    }
}
