fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut arts = Vec::new();
    for input in storyline_read::expand_inputs(&args).into_iter().flatten() {
        let _ = storyline_read::read_input(&input, &Default::default(), &mut |item| {
            if let storyline_read::Item::Doc(d) = item {
                arts.push(storyline_extract::extract(&d));
            }
            std::ops::ControlFlow::Continue(())
        });
    }
    arts.sort_by_key(|a| {
        (
            a.published.is_none(),
            a.published.map(|p| p.at.epoch_seconds()),
        )
    });
    let mut c = storyline_cluster::Clusterer::new(Default::default(), Default::default(), vec![]);
    for a in &arts {
        let f = storyline_analyze::analyze(a);
        println!(
            "{} ents {:?}",
            a.source,
            f.entities
                .iter()
                .take(12)
                .map(|e| (&e.name, e.salience()))
                .collect::<Vec<_>>()
        );
        let d = c.assign(&a.id, a.published.map(|p| p.at.epoch_seconds()), &f);
        println!("  -> {} created={} {:?}", d.event, d.created, d.candidates);
    }
}
