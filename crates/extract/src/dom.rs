//! The page's tree, as the parser builds it and the extractor reads it: one arena of
//! nodes linked by index, with every name, attribute value and text in one string.
//!
//! scraper's tree (ego_tree nodes holding html5ever's interned names, attribute
//! vectors and a tendril per text) made two or three allocations per node, and
//! dropping a page freed each of them again. Here a page is three vectors: the
//! nodes, the attributes, and the bytes of its names and texts. The extractor reads
//! it through the handful of calls it used on scraper's ([`ElementRef::wrap`],
//! `value`, `text`, `ancestors`, `descendants`, `children`), so the code that scores
//! blocks did not change.
//!
//! Node ids grow in the order the parser makes the nodes, which is document order
//! (it only ever appends to the open elements), so comparing two ids compares
//! their places in the page.

use std::ops::Deref;

/// A node's place in the arena; ordered as the page is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) struct NodeId(u32);

/// No node (a link that leads nowhere).
const NONE: u32 = u32::MAX;

/// Where a string lies in [`Dom::strings`].
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    end: u32,
}

#[derive(Clone, Copy, Debug)]
enum Data {
    Document,
    /// The element's name, and where its attributes lie in [`Dom::attrs`].
    Element {
        name: Span,
        attrs: (u32, u32),
    },
    Text(Span),
}

#[derive(Debug)]
struct NodeData {
    parent: u32,
    prev: u32,
    next: u32,
    first: u32,
    last: u32,
    data: Data,
}

/// A parsed page's tree.
#[derive(Debug)]
pub(crate) struct Dom {
    nodes: Vec<NodeData>,
    /// Attribute names (the parser keeps a fixed set of them) and where the values
    /// lie in `strings`.
    attrs: Vec<(&'static str, Span)>,
    /// Element names, attribute values and texts, one after another.
    strings: String,
}

impl Dom {
    /// A tree holding only the document node, sized for a page of `len` bytes.
    pub(crate) fn new(len: usize) -> Dom {
        let mut nodes = Vec::with_capacity(len / 40 + 16);
        nodes.push(NodeData {
            parent: NONE,
            prev: NONE,
            next: NONE,
            first: NONE,
            last: NONE,
            data: Data::Document,
        });
        Dom {
            nodes,
            attrs: Vec::new(),
            strings: String::with_capacity(len / 2),
        }
    }

    /// The document node, parent of the `<html>` element.
    pub(crate) fn document(&self) -> NodeId {
        NodeId(0)
    }

    fn push_str(&mut self, s: &str) -> Span {
        let start = self.strings.len() as u32;
        self.strings.push_str(s);
        Span {
            start,
            end: self.strings.len() as u32,
        }
    }

    fn str(&self, s: Span) -> &str {
        &self.strings[s.start as usize..s.end as usize]
    }

    fn push_node(&mut self, data: Data) -> NodeId {
        let id = self.nodes.len() as u32;
        self.nodes.push(NodeData {
            parent: NONE,
            prev: NONE,
            next: NONE,
            first: NONE,
            last: NONE,
            data,
        });
        NodeId(id)
    }

    /// A new element, not yet in the tree. The first of a repeated attribute name
    /// is the one kept.
    pub(crate) fn create_element<'v>(
        &mut self,
        name: &str,
        attrs: impl IntoIterator<Item = (&'static str, &'v str)>,
    ) -> NodeId {
        let name = self.push_str(name);
        let from = self.attrs.len() as u32;
        for (n, v) in attrs {
            if !self.attrs[from as usize..].iter().any(|(k, _)| *k == n) {
                let v = self.push_str(v);
                self.attrs.push((n, v));
            }
        }
        let attrs = (from, self.attrs.len() as u32);
        self.push_node(Data::Element { name, attrs })
    }

    /// Adds the attributes an element does not have yet (a second `<body>` tag's).
    pub(crate) fn add_attrs_if_missing<'v>(
        &mut self,
        e: NodeId,
        attrs: impl IntoIterator<Item = (&'static str, &'v str)>,
    ) {
        let Data::Element {
            name,
            attrs: (from, to),
        } = self.nodes[e.0 as usize].data
        else {
            return;
        };
        let new: Vec<_> = attrs
            .into_iter()
            .filter(|(n, _)| {
                !self.attrs[from as usize..to as usize]
                    .iter()
                    .any(|(k, _)| k == n)
            })
            .collect();
        if new.is_empty() {
            return;
        }
        // The element's attributes move to the end, where the new ones join them.
        let start = self.attrs.len() as u32;
        self.attrs.extend_from_within(from as usize..to as usize);
        for (n, v) in new {
            if !self.attrs[start as usize..].iter().any(|(k, _)| *k == n) {
                let v = self.push_str(v);
                self.attrs.push((n, v));
            }
        }
        self.nodes[e.0 as usize].data = Data::Element {
            name,
            attrs: (start, self.attrs.len() as u32),
        };
    }

    /// Makes `child` (a node not yet in the tree) the last child of `parent`.
    pub(crate) fn append(&mut self, parent: NodeId, child: NodeId) {
        let last = self.nodes[parent.0 as usize].last;
        {
            let c = &mut self.nodes[child.0 as usize];
            c.parent = parent.0;
            c.prev = last;
        }
        if last == NONE {
            self.nodes[parent.0 as usize].first = child.0;
        } else {
            self.nodes[last as usize].next = child.0;
        }
        self.nodes[parent.0 as usize].last = child.0;
    }

    /// Appends text to `parent`: to its last child when that is text, else as a new
    /// text node.
    pub(crate) fn append_text(&mut self, parent: NodeId, text: &str) {
        let last = self.nodes[parent.0 as usize].last;
        if last != NONE {
            if let Data::Text(span) = self.nodes[last as usize].data {
                let span = if span.end as usize == self.strings.len() {
                    self.strings.push_str(text);
                    Span {
                        start: span.start,
                        end: self.strings.len() as u32,
                    }
                } else {
                    // Something was stored after it: the joined text moves to the end.
                    let start = self.strings.len() as u32;
                    self.strings
                        .extend_from_within(span.start as usize..span.end as usize);
                    self.strings.push_str(text);
                    Span {
                        start,
                        end: self.strings.len() as u32,
                    }
                };
                self.nodes[last as usize].data = Data::Text(span);
                return;
            }
        }
        let span = self.push_str(text);
        let t = self.push_node(Data::Text(span));
        self.append(parent, t);
    }

    /// An element's name (empty for other nodes).
    pub(crate) fn name(&self, id: NodeId) -> &str {
        match self.nodes[id.0 as usize].data {
            Data::Element { name, .. } => self.str(name),
            _ => "",
        }
    }

    /// The node with this id.
    pub(crate) fn get(&self, id: NodeId) -> Option<NodeRef<'_>> {
        ((id.0 as usize) < self.nodes.len()).then_some(NodeRef { dom: self, id })
    }

    /// The `<html>` element.
    pub(crate) fn root_element(&self) -> ElementRef<'_> {
        NodeRef {
            dom: self,
            id: self.document(),
        }
        .children()
        .find_map(ElementRef::wrap)
        .expect("the parser always makes the <html> element")
    }

    fn link(&self, id: u32) -> Option<NodeRef<'_>> {
        (id != NONE).then_some(NodeRef {
            dom: self,
            id: NodeId(id),
        })
    }
}

/// A node of a page.
#[derive(Clone, Copy)]
pub(crate) struct NodeRef<'a> {
    dom: &'a Dom,
    id: NodeId,
}

/// What a node is.
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Document,
    Element(Element<'a>),
    Text(&'a str),
}

impl<'a> Node<'a> {
    pub(crate) fn as_element(self) -> Option<Element<'a>> {
        match self {
            Node::Element(e) => Some(e),
            _ => None,
        }
    }
}

/// An element's name and attributes.
#[derive(Clone, Copy)]
pub(crate) struct Element<'a> {
    name: &'a str,
    attrs: &'a [(&'static str, Span)],
    strings: &'a str,
}

impl<'a> Element<'a> {
    pub(crate) fn name(self) -> &'a str {
        self.name
    }

    /// The element's kept attributes, names with values, in the order written.
    pub(crate) fn attrs(self) -> impl Iterator<Item = (&'static str, &'a str)> {
        let strings = self.strings;
        self.attrs
            .iter()
            .map(move |(n, v)| (*n, &strings[v.start as usize..v.end as usize]))
    }
}

impl<'a> NodeRef<'a> {
    pub(crate) fn id(self) -> NodeId {
        self.id
    }

    fn data(self) -> &'a NodeData {
        &self.dom.nodes[self.id.0 as usize]
    }

    pub(crate) fn value(self) -> Node<'a> {
        let dom = self.dom;
        match self.data().data {
            Data::Document => Node::Document,
            Data::Text(s) => Node::Text(dom.str(s)),
            Data::Element { name, attrs } => Node::Element(Element {
                name: dom.str(name),
                attrs: &dom.attrs[attrs.0 as usize..attrs.1 as usize],
                strings: &dom.strings,
            }),
        }
    }

    pub(crate) fn parent(self) -> Option<NodeRef<'a>> {
        self.dom.link(self.data().parent)
    }

    /// The parent, its parent, and so on up to the document node.
    pub(crate) fn ancestors(self) -> impl Iterator<Item = NodeRef<'a>> {
        std::iter::successors(self.parent(), |n| n.parent())
    }

    pub(crate) fn children(self) -> impl Iterator<Item = NodeRef<'a>> {
        std::iter::successors(self.dom.link(self.data().first), |n| {
            n.dom.link(n.data().next)
        })
    }

    /// The siblings before this node, nearest first.
    pub(crate) fn prev_siblings(self) -> impl Iterator<Item = NodeRef<'a>> {
        std::iter::successors(self.dom.link(self.data().prev), |n| {
            n.dom.link(n.data().prev)
        })
    }

    /// This node and every node below it, in document order.
    pub(crate) fn descendants(self) -> Descendants<'a> {
        Descendants {
            dom: self.dom,
            root: self.id.0,
            next: self.id.0,
        }
    }

    /// The texts below this node, in document order.
    pub(crate) fn text(self) -> impl Iterator<Item = &'a str> {
        self.descendants().filter_map(|n| match n.value() {
            Node::Text(t) => Some(t),
            _ => None,
        })
    }
}

/// A walk over a node and the nodes below it, in document order.
pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    root: u32,
    next: u32,
}

impl<'a> Iterator for Descendants<'a> {
    type Item = NodeRef<'a>;

    fn next(&mut self) -> Option<NodeRef<'a>> {
        let at = self.next;
        if at == NONE {
            return None;
        }
        let n = &self.dom.nodes[at as usize];
        self.next = if n.first != NONE {
            n.first
        } else {
            self.after(at)
        };
        Some(NodeRef {
            dom: self.dom,
            id: NodeId(at),
        })
    }
}

impl Descendants<'_> {
    /// The node after `at`'s subtree: the next sibling of `at` or of the nearest
    /// ancestor that has one, without leaving the walk's root.
    fn after(&self, at: u32) -> u32 {
        let nodes = &self.dom.nodes;
        let mut cur = at;
        loop {
            if cur == self.root {
                break NONE;
            }
            let c = &nodes[cur as usize];
            if c.next != NONE {
                break c.next;
            }
            cur = c.parent;
        }
    }

    /// Leaves out the nodes below `node`, the node last returned: the walk goes on
    /// after its subtree.
    pub(crate) fn skip_below(&mut self, node: NodeId) {
        self.next = self.after(node.0);
    }
}

/// A node known to be an element.
#[derive(Clone, Copy)]
pub(crate) struct ElementRef<'a>(NodeRef<'a>);

impl<'a> ElementRef<'a> {
    /// The node as an element, if it is one.
    pub(crate) fn wrap(n: NodeRef<'a>) -> Option<ElementRef<'a>> {
        matches!(n.data().data, Data::Element { .. }).then_some(ElementRef(n))
    }

    pub(crate) fn value(self) -> Element<'a> {
        match self.0.value() {
            Node::Element(e) => e,
            _ => unreachable!("an ElementRef wraps an element"),
        }
    }
}

impl<'a> Deref for ElementRef<'a> {
    type Target = NodeRef<'a>;

    fn deref(&self) -> &NodeRef<'a> {
        &self.0
    }
}

#[cfg(test)]
impl Dom {
    /// The elements a small selector matches, in document order, for tests: compound
    /// parts (`div`, `#id`, `[name=value]`, `[name='value']`, `*`) joined by a
    /// space (descendant) or `>` (child).
    pub(crate) fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        let css = css.replace('>', " > ");
        let parts: Vec<&str> = css.split_whitespace().collect();
        NodeRef {
            dom: self,
            id: self.document(),
        }
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| matches_path(*e, &parts))
        .collect()
    }
}

#[cfg(test)]
fn matches_compound(e: ElementRef, part: &str) -> bool {
    let v = e.value();
    let (head, mut rest) = match part.find(['[', '#']) {
        Some(i) => part.split_at(i),
        None => (part, ""),
    };
    if !(head.is_empty() || head == "*" || head == v.name()) {
        return false;
    }
    let attr = |n: &str| v.attrs().find(|(k, _)| *k == n).map(|(_, x)| x);
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('#') {
            let end = r.find(['[', '#']).unwrap_or(r.len());
            if attr("id") != Some(&r[..end]) {
                return false;
            }
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').expect("a test selector closes its brackets");
            let (n, want) = match r[..end].split_once('=') {
                Some((n, w)) => (n, Some(w.trim_matches(['\'', '"']))),
                None => (&r[..end], None),
            };
            match (attr(n), want) {
                (None, _) => return false,
                (Some(got), Some(w)) if got != w => return false,
                _ => {}
            }
            rest = &r[end + 1..];
        } else {
            panic!("unsupported test selector {part}");
        }
    }
    true
}

#[cfg(test)]
fn matches_path(e: ElementRef, parts: &[&str]) -> bool {
    let Some((last, before)) = parts.split_last() else {
        return true;
    };
    if !matches_compound(e, last) {
        return false;
    }
    match before.split_last() {
        None => true,
        Some((&">", up)) => e
            .parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|p| matches_path(p, up)),
        Some(_) => e
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| matches_path(a, before)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dom {
        let mut d = Dom::new(0);
        let html = d.create_element("html", [("lang", "en")]);
        d.append(d.document(), html);
        let body = d.create_element("body", []);
        d.append(html, body);
        let p = d.create_element("p", [("class", "a"), ("class", "b"), ("id", "x")]);
        d.append(body, p);
        d.append_text(p, "one ");
        d.append_text(p, "two");
        let b = d.create_element("b", []);
        d.append(p, b);
        d.append_text(b, "three");
        d.append_text(p, "four");
        let q = d.create_element("p", []);
        d.append(body, q);
        d.append_text(q, "five");
        d
    }

    #[test]
    fn builds_and_walks_in_document_order() {
        let d = sample();
        let root = d.root_element();
        assert_eq!(root.value().name(), "html");
        let names: Vec<_> = root
            .descendants()
            .map(|n| match n.value() {
                Node::Element(e) => e.name().to_string(),
                Node::Text(t) => format!("'{t}'"),
                Node::Document => "#".into(),
            })
            .collect();
        assert_eq!(
            names,
            [
                "html",
                "body",
                "p",
                "'one two'",
                "b",
                "'three'",
                "'four'",
                "p",
                "'five'"
            ]
        );
        let ids: Vec<_> = root.descendants().map(|n| n.id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        // A walk stays below its root.
        let p = d.select("p")[0];
        assert_eq!(p.text().collect::<String>(), "one twothreefour");
        assert_eq!(p.descendants().count(), 5);
        assert_eq!(p.children().count(), 3);
        // The first of a repeated attribute is kept.
        assert_eq!(
            p.value().attrs().collect::<Vec<_>>(),
            [("class", "a"), ("id", "x")]
        );
        assert_eq!(p.ancestors().count(), 3, "body, html, the document");
        let q = d.select("body > p")[1];
        assert_eq!(q.prev_siblings().count(), 1);
        assert_eq!(d.select("p#x b").len(), 1);
        assert_eq!(d.select("html[lang=en] > body > p[class='a']").len(), 1);
    }

    #[test]
    fn joined_text_moves_when_something_was_stored_after_it() {
        let mut d = sample();
        let body = d.select("body")[0].id();
        d.append_text(body, "six");
        let span = d.create_element("span", [("title", "t")]);
        // The text before the new element is extended after the element's name
        // and attribute were stored.
        d.append_text(body, " seven");
        d.append(body, span);
        let texts: Vec<_> = d
            .get(body)
            .unwrap()
            .children()
            .filter_map(|c| match c.value() {
                Node::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["six seven"]);
        d.add_attrs_if_missing(body, [("class", "c"), ("id", "i")]);
        d.add_attrs_if_missing(body, [("class", "other")]);
        let body = d.select("body")[0];
        assert_eq!(
            body.value().attrs().collect::<Vec<_>>(),
            [("class", "c"), ("id", "i")]
        );
    }
}
