//! DCAT-AP metadata (JSON-LD and Turtle, built from one graph so both say the same) and
//! Frictionless Data Package descriptors with a Table Schema from the data items.

use serde_json::{json, Map, Value};

use crate::model::{OpenType, Resource, SharingType};

pub const PREFIXES: &[(&str, &str)] = &[
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
];

/// An RDF object.
#[derive(Debug, Clone)]
enum Obj {
    Iri(String),
    /// Value, language tag, datatype (prefixed name).
    Lit(String, Option<&'static str>, Option<&'static str>),
    Node(Box<Node>),
}

/// A subject with its types and properties (predicates as prefixed names).
#[derive(Debug, Clone)]
struct Node {
    /// None = a blank node.
    id: Option<String>,
    types: Vec<&'static str>,
    props: Vec<(&'static str, Obj)>,
}

impl Node {
    fn new(id: Option<String>, ty: &'static str) -> Node {
        Node {
            id,
            types: vec![ty],
            props: Vec::new(),
        }
    }
    fn add(&mut self, p: &'static str, o: Obj) -> &mut Node {
        self.props.push((p, o));
        self
    }
    fn text(&mut self, p: &'static str, v: &str) -> &mut Node {
        if !v.is_empty() {
            self.props.push((p, Obj::Lit(v.into(), Some("zh"), None)));
        }
        self
    }
    fn plain(&mut self, p: &'static str, v: &str) -> &mut Node {
        self.props.push((p, Obj::Lit(v.into(), None, None)));
        self
    }
    fn typed(&mut self, p: &'static str, v: &str, dt: &'static str) -> &mut Node {
        self.props.push((p, Obj::Lit(v.into(), None, Some(dt))));
        self
    }
}

/// The IRI of a resource.
pub fn resource_iri(base: &str, code: &str) -> String {
    format!("{base}/catalog/{code}")
}

fn access_rights(r: &Resource) -> &'static str {
    match (r.open_type, r.sharing_type) {
        (OpenType::Unconditional, _) => {
            "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
        }
        (OpenType::Conditional, _)
        | (OpenType::NotOpen, SharingType::Unconditional | SharingType::Conditional) => {
            "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
        }
        (OpenType::NotOpen, SharingType::NotShared) => {
            "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"
        }
    }
}

fn dataset(r: &Resource, base: &str) -> Node {
    let iri = resource_iri(base, &r.code);
    let mut d = Node::new(Some(iri.clone()), "dcat:Dataset");
    d.plain("dct:identifier", &r.code)
        .text("dct:title", &r.name)
        .text("dct:description", &r.summary);
    let mut publisher = Node::new(
        Some(format!("{base}/units/{}", r.provider_unit_id)),
        "foaf:Organization",
    );
    publisher.text("foaf:name", &r.provider_name);
    d.add("dct:publisher", Obj::Node(Box::new(publisher)));
    let mut contact = Node::new(None, "vcard:Organization");
    contact.text("vcard:fn", &r.provider_name);
    d.add("dcat:contactPoint", Obj::Node(Box::new(contact)));
    for k in &r.keywords {
        d.text("dcat:keyword", k);
    }
    if !r.theme.is_empty() {
        d.add(
            "dcat:theme",
            Obj::Iri(format!("{base}/catalog?theme={}", iri_escape(&r.theme))),
        );
    }
    if let Some(date) = &r.publish_date {
        d.typed("dct:issued", date, "xsd:date");
    }
    d.typed("dct:modified", &r.updated_at, "xsd:dateTime");
    d.add(
        "dct:accrualPeriodicity",
        Obj::Iri(r.update_cycle.eu_frequency().into()),
    );
    d.add("dct:accessRights", Obj::Iri(access_rights(r).into()));
    d.add("dcat:landingPage", Obj::Iri(iri.clone()));
    for code in &r.related_codes {
        d.add("dct:relation", Obj::Iri(resource_iri(base, code)));
    }
    let mut dist = Node::new(Some(format!("{iri}#distribution")), "dcat:Distribution");
    dist.add("dcat:accessURL", Obj::Iri(iri.clone()))
        .text(
            "dct:title",
            &format!("{}（{}）", r.name, r.format.label_zh()),
        )
        .text("dct:format", r.format.label_zh())
        .text(
            "dct:description",
            &format!(
                "共享方式：{}；{}；{}",
                r.share_method.label_zh(),
                r.sharing_type.label_zh(),
                r.open_type.label_zh()
            ),
        );
    d.add("dcat:distribution", Obj::Node(Box::new(dist)));
    d
}

fn context() -> Value {
    let mut m = Map::new();
    for (p, iri) in PREFIXES {
        m.insert((*p).into(), Value::String((*iri).into()));
    }
    m.insert("skos".into(), "http://www.w3.org/2004/02/skos/core#".into());
    Value::Object(m)
}

fn obj_json(o: &Obj) -> Value {
    match o {
        Obj::Iri(i) => json!({ "@id": i }),
        Obj::Lit(v, Some(lang), _) => json!({ "@value": v, "@language": lang }),
        Obj::Lit(v, None, Some(dt)) => json!({ "@value": v, "@type": dt }),
        Obj::Lit(v, None, None) => Value::String(v.clone()),
        Obj::Node(n) => node_json(n),
    }
}

fn node_json(n: &Node) -> Value {
    let mut m = Map::new();
    if let Some(id) = &n.id {
        m.insert("@id".into(), Value::String(id.clone()));
    }
    match n.types.as_slice() {
        [] => {}
        [t] => {
            m.insert("@type".into(), Value::String((*t).into()));
        }
        ts => {
            m.insert("@type".into(), json!(ts));
        }
    }
    for (p, o) in &n.props {
        let v = obj_json(o);
        match m.get_mut(*p) {
            Some(Value::Array(a)) => a.push(v),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, v]);
            }
            None => {
                m.insert((*p).into(), v);
            }
        }
    }
    Value::Object(m)
}

/// One resource as a JSON-LD document.
pub fn resource_jsonld(r: &Resource, base: &str) -> Value {
    let mut v = node_json(&dataset(r, base));
    if let Value::Object(m) = &mut v {
        m.insert("@context".into(), context());
    }
    v
}

/// One page of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: usize,
    pub per_page: usize,
    pub total: usize,
}

impl Page {
    pub fn last(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }
}

fn catalog_node(resources: &[Resource], base: &str, page: Page, ext: &str) -> Node {
    let mut c = Node::new(Some(format!("{base}/catalog")), "dcat:Catalog");
    c.text("dct:title", "政务数据资源目录").text(
        "dct:description",
        "区政务服务数据管理局发布的政务数据资源目录（公开部分）",
    );
    let mut publisher = Node::new(None, "foaf:Organization");
    publisher.text("foaf:name", "区政务服务数据管理局");
    c.add("dct:publisher", Obj::Node(Box::new(publisher)));
    c.typed("hydra:totalItems", &page.total.to_string(), "xsd:integer");
    let url = |n: usize| format!("{base}/catalog.{ext}?page={n}");
    let mut view = Node::new(Some(url(page.page)), "hydra:PartialCollectionView");
    view.add("hydra:first", Obj::Iri(url(1)))
        .add("hydra:last", Obj::Iri(url(page.last())));
    if page.page > 1 {
        view.add("hydra:previous", Obj::Iri(url(page.page - 1)));
    }
    if page.page < page.last() {
        view.add("hydra:next", Obj::Iri(url(page.page + 1)));
    }
    c.add("hydra:view", Obj::Node(Box::new(view)));
    for r in resources {
        c.add("dcat:dataset", Obj::Iri(resource_iri(base, &r.code)));
    }
    c
}

/// A page of the catalog as JSON-LD: the catalog (with hydra paging links) and its datasets.
pub fn catalog_jsonld(resources: &[Resource], base: &str, page: Page) -> Value {
    let mut graph = vec![node_json(&catalog_node(resources, base, page, "jsonld"))];
    graph.extend(resources.iter().map(|r| node_json(&dataset(r, base))));
    json!({ "@context": context(), "@graph": graph })
}

fn iri_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' | ' ' | '\0'..='\x20' => {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
            _ => c.to_string(),
        })
        .collect()
}

fn literal(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            _ => s.push(c),
        }
    }
    s.push('"');
    s
}

fn obj_ttl(o: &Obj, indent: usize) -> String {
    match o {
        Obj::Iri(i) => format!("<{}>", iri_escape(i)),
        Obj::Lit(v, Some(lang), _) => format!("{}@{lang}", literal(v)),
        Obj::Lit(v, None, Some(dt)) => format!("{}^^{dt}", literal(v)),
        Obj::Lit(v, None, None) => literal(v),
        Obj::Node(n) if n.id.is_some() => {
            format!("<{}>", iri_escape(n.id.as_deref().unwrap_or_default()))
        }
        Obj::Node(n) => format!("[\n{}\n{}]", body_ttl(n, indent + 4), " ".repeat(indent)),
    }
}

fn body_ttl(n: &Node, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    if !n.types.is_empty() {
        lines.push(format!("{pad}a {}", n.types.join(", ")));
    }
    for (p, o) in &n.props {
        lines.push(format!("{pad}{p} {}", obj_ttl(o, indent)));
    }
    lines.join(" ;\n")
}

/// Named nodes nested in `n` (publisher, distribution), written as their own subjects.
fn named_children<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
    for (_, o) in &n.props {
        if let Obj::Node(child) = o {
            if child.id.is_some() {
                out.push(child);
            }
            named_children(child, out);
        }
    }
}

fn ttl_nodes(nodes: &[Node]) -> String {
    let mut s: String = PREFIXES
        .iter()
        .map(|(p, iri)| format!("@prefix {p}: <{iri}> .\n"))
        .collect();
    s.push('\n');
    let mut seen = std::collections::HashSet::new();
    let mut write = |n: &Node, s: &mut String| {
        let id = n.id.clone().unwrap_or_default();
        if seen.insert(id.clone()) {
            s.push_str(&format!("<{}>\n{} .\n\n", iri_escape(&id), body_ttl(n, 4)));
        }
    };
    for n in nodes {
        write(n, &mut s);
        let mut children = Vec::new();
        named_children(n, &mut children);
        for c in children {
            write(c, &mut s);
        }
    }
    s
}

/// One resource as Turtle.
pub fn resource_turtle(r: &Resource, base: &str) -> String {
    ttl_nodes(&[dataset(r, base)])
}

/// A page of the catalog as Turtle.
pub fn catalog_turtle(resources: &[Resource], base: &str, page: Page) -> String {
    let mut nodes = vec![catalog_node(resources, base, page, "ttl")];
    nodes.extend(resources.iter().map(|r| dataset(r, base)));
    ttl_nodes(&nodes)
}

/// A Frictionless Data Package descriptor: one tabular resource whose Table Schema lists
/// the data items.
pub fn datapackage(r: &Resource, base: &str) -> Value {
    let name = r.code.to_lowercase();
    let fields: Vec<Value> = r
        .items
        .iter()
        .map(|i| {
            let (ty, format) = i.data_type.table_schema();
            let mut f = json!({ "name": i.name, "title": i.label, "type": ty });
            if let Some(format) = format {
                f["format"] = json!(format);
            }
            if !i.description.is_empty() {
                f["description"] = json!(i.description);
            }
            if let (Some(len), "string") = (i.length, ty) {
                f["constraints"] = json!({ "maxLength": len });
            }
            if i.pii_kind.is_sensitive() {
                f["x-pii-kind"] = json!(i.pii_kind.as_str());
            }
            f
        })
        .collect();
    json!({
        "profile": "data-package",
        "name": name,
        "id": resource_iri(base, &r.code),
        "title": r.name,
        "description": r.summary,
        "homepage": resource_iri(base, &r.code),
        "keywords": r.keywords,
        "contributors": [{ "title": r.provider_name, "role": "publisher" }],
        "resources": [{
            "name": name,
            "path": format!("{name}.csv"),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": { "fields": fields },
        }],
    })
}
