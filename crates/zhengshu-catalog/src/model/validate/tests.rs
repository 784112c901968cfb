use super::*;

fn good() -> NewResource {
    NewResource {
        name: "户籍人口基本信息".into(),
        summary: "全区户籍人口的姓名、身份证号、住址等基本信息".into(),
        classification: "101001".into(),
        format: "数据库".into(),
        sharing_type: "有条件共享".into(),
        sharing_conditions: "仅用于政务服务办理".into(),
        open_type: "不予开放".into(),
        open_basis: "《个人信息保护法》".into(),
        update_cycle: "每日".into(),
        security_grade: "重要".into(),
        items: vec![NewDataItem {
            name: "xm".into(),
            label: "姓名".into(),
            data_type: "字符型".into(),
            length: Some(50),
            pii_kind: "姓名".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn fields(r: Result<ValidResource, Vec<FieldError>>) -> Vec<String> {
    r.err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_complete_entry_passes_and_derives_the_catalog_type() {
    let v = good().validate(Some(7)).unwrap();
    assert_eq!(v.catalog_type, CatalogType::Basic);
    assert_eq!(v.provider_unit_id, 7);
    assert_eq!(v.share_method, ShareMethod::Api);
    assert_eq!(v.items[0].pii_kind, PiiKind::Name);
}

#[test]
fn conditional_and_refused_types_need_their_text() {
    let mut r = good();
    r.sharing_conditions.clear();
    r.open_basis.clear();
    assert_eq!(
        fields(r.validate(Some(1))),
        ["sharing_conditions", "open_basis"]
    );
    let mut r = good();
    r.sharing_type = "不予共享".into();
    assert_eq!(fields(r.validate(Some(1))), ["sharing_basis"]);
    let mut r = good();
    r.open_type = "有条件开放".into();
    assert_eq!(fields(r.validate(Some(1))), ["open_conditions"]);
}

#[test]
fn core_or_unshared_data_cannot_be_opened() {
    let mut r = good();
    r.security_grade = "核心".into();
    r.open_type = "无条件开放".into();
    assert_eq!(fields(r.validate(Some(1))), ["open_type"]);
    let mut r = good();
    r.sharing_type = "not_shared".into();
    r.sharing_basis = "法律规定".into();
    r.open_type = "unconditional".into();
    assert_eq!(fields(r.validate(Some(1))), ["open_type"]);
}

#[test]
fn classification_and_type_must_agree() {
    let mut r = good();
    r.classification = "10100".into();
    assert!(fields(r.validate(Some(1))).contains(&"classification".to_string()));
    let mut r = good();
    r.catalog_type = "主题".into();
    assert_eq!(fields(r.validate(Some(1))), ["catalog_type"]);
    assert!(is_valid_classification("301002003"));
    assert!(!is_valid_classification("401001"));
}

#[test]
fn items_are_checked_one_by_one() {
    let mut r = good();
    r.items.push(NewDataItem {
        name: "1bad".into(),
        label: "".into(),
        data_type: "text".into(),
        pii_kind: "血型".into(),
        ..Default::default()
    });
    r.items.push(NewDataItem {
        name: "XM".into(),
        label: "姓名2".into(),
        data_type: "string".into(),
        ..Default::default()
    });
    let f = fields(r.validate(Some(1)));
    assert_eq!(
        f,
        [
            "items[2].name",
            "items[2].label",
            "items[2].data_type",
            "items[2].pii_kind",
            "items[3].name"
        ]
    );
}

#[test]
fn codes_follow_the_scheme() {
    assert_eq!(parse_code("101001-0012-0003"), Some(("101001", 12, 3)));
    assert_eq!(parse_code("101001-12-0003"), None);
    assert_eq!(parse_code("901001-0012-0003"), None);
    let mut r = good();
    r.code = Some("101001-0002-0001".into());
    assert_eq!(fields(r.validate(Some(1))), ["code"]);
    r.code = Some("101001-0001-0001".into());
    assert!(r.validate(Some(1)).is_ok());
}

#[test]
fn lists_are_split_on_chinese_and_ascii_separators() {
    let mut r = good();
    r.keywords = vec!["人口，户籍;身份证、人口".into()];
    r.publish_date = Some("2026-13-01".into());
    assert_eq!(fields(r.validate(Some(1))), ["publish_date"]);
    r.publish_date = Some("2026-01-05".into());
    assert_eq!(
        r.validate(Some(1)).unwrap().keywords,
        ["人口", "户籍", "身份证"]
    );
}
