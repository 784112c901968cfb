//! 信息项推断: proposing a resource's data items (信息项) from a sample file.
//!
//! Types are inferred over the whole sample, not its first rows: a column is an integer
//! column only if every value in it is an integer. The state kept per column is a few
//! flags and counters, so a sample of any length takes constant memory.

use std::collections::HashSet;

use zhengshu_catalog::model::DataType;
use zhengshu_core::validate::{is_valid_credit_code, is_valid_mobile, is_valid_resident_id};
use zhengshu_core::PiiKind;

use crate::coerce;

/// A data item proposed for a new resource, for the data officer to confirm or edit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProposedItem {
    /// Column name in the lake table: ASCII letters, digits and `_`, starting with a
    /// letter, at most 64 characters, unique among the items.
    pub name: String,
    /// 中文名称: the header when it is Chinese, else the usual label for a known name.
    pub label: String,
    pub data_type: DataType,
    /// Suggested from the content (at least 90 % of the values), else from the header.
    pub pii_kind: PiiKind,
    pub nulls: u64,
    /// Non-null values seen.
    pub values: u64,
    /// Up to 3 distinct non-null values (each cut to 100 characters).
    pub examples: Vec<String>,
    /// Quality rule kinds worth declaring: `resident_id`, `credit_code`, `mobile`, `not_null`.
    pub suggested_rules: Vec<String>,
}

/// Watches the rows of a sample file and proposes one data item per column.
pub struct Inferrer {
    columns: Vec<Column>,
    rows: u64,
}

impl Inferrer {
    pub fn new(header: &[String]) -> Inferrer {
        Inferrer {
            columns: header.iter().map(|h| Column::new(h)).collect(),
            rows: 0,
        }
    }

    /// Take one row into account. Missing cells count as null; extra cells are ignored.
    pub fn observe(&mut self, row: &[&str]) {
        self.rows += 1;
        for (i, column) in self.columns.iter_mut().enumerate() {
            column.observe(row.get(i).copied());
        }
    }

    /// Rows observed so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn finish(self) -> Vec<ProposedItem> {
        let mut used = HashSet::new();
        self.columns
            .into_iter()
            .enumerate()
            .map(|(i, column)| {
                let header = clean_header(&column.header);
                let base = base_name(header, i + 1);
                let name = unique_name(&base, &mut used);
                let label = label(header, &base);
                column.propose(name, label)
            })
            .collect()
    }
}

/// What has been learnt about one column.
struct Column {
    header: String,
    nulls: u64,
    values: u64,
    /// Values that did not read as that type. A type stays a candidate while it has no
    /// misses or, in a sample of 10,000 values or more, while its misses are defects
    /// (at most 0.1 %): 10M rows with a few thousand `N/A` dates is still a date column,
    /// and the defective rows go to quarantine when it is loaded.
    miss_integer: u64,
    miss_number: u64,
    miss_date: u64,
    miss_datetime: u64,
    miss_boolean: u64,
    examples: Vec<String>,
    /// How many values look like each kind of identifier or personal data.
    resident_ids: u64,
    credit_codes: u64,
    mobiles: u64,
    emails: u64,
    names: u64,
}

const MAX_EXAMPLES: usize = 3;
const EXAMPLE_CHARS: usize = 100;

impl Column {
    fn new(header: &str) -> Column {
        Column {
            header: header.to_string(),
            nulls: 0,
            values: 0,
            miss_integer: 0,
            miss_number: 0,
            miss_date: 0,
            miss_datetime: 0,
            miss_boolean: 0,
            examples: Vec::new(),
            resident_ids: 0,
            credit_codes: 0,
            mobiles: 0,
            emails: 0,
            names: 0,
        }
    }

    fn observe(&mut self, cell: Option<&str>) {
        let Some(value) = cell.filter(|c| !coerce::is_null(c)) else {
            self.nulls += 1;
            return;
        };
        let value = value.trim();
        self.values += 1;
        self.observe_type(value);
        self.observe_content(value);
        if self.examples.len() < MAX_EXAMPLES {
            let example = match value.char_indices().nth(EXAMPLE_CHARS) {
                Some((cut, _)) => &value[..cut],
                None => value,
            };
            if !self.examples.iter().any(|e| e == example) {
                self.examples.push(example.to_string());
            }
        }
    }

    /// Whether a type with `miss` misses is still a candidate.
    fn alive(&self, miss: u64) -> bool {
        miss == 0 || (self.values >= 10_000 && (miss as f64) <= 0.001 * self.values as f64)
    }

    /// Counts the types `value` does not read as; a type that is no longer a candidate
    /// is not tested again.
    fn observe_type(&mut self, value: &str) {
        let (int_alive, num_alive) = (self.alive(self.miss_integer), self.alive(self.miss_number));
        if int_alive || num_alive {
            if looks_like_code(value) {
                // `0755…` and resident IDs are codes: numeric reading would lose them.
                self.miss_integer += 1;
                self.miss_number += 1;
            } else {
                let integer = int_alive && coerce::parse_integer(value).is_ok();
                if !integer {
                    self.miss_integer += 1;
                    // Every integer also reads as a number.
                    if num_alive && coerce::parse_number(value).is_err() {
                        self.miss_number += 1;
                    }
                }
            }
        }
        let (date_alive, dt_alive) = (self.alive(self.miss_date), self.alive(self.miss_datetime));
        if date_alive || dt_alive {
            match coerce::date_has_time(value) {
                Some(true) => self.miss_date += 1,
                Some(false) => {}
                None => {
                    self.miss_date += 1;
                    self.miss_datetime += 1;
                }
            }
        }
        // 0/1 parse as yes/no too, but a column of them is an integer column.
        if self.alive(self.miss_boolean)
            && !(matches!(value, "是" | "否")
                || ["true", "false", "yes", "no"]
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(value)))
        {
            self.miss_boolean += 1;
        }
    }

    fn observe_content(&mut self, value: &str) {
        match value.len() {
            18 => {
                self.resident_ids += u64::from(is_valid_resident_id(value));
                self.credit_codes += u64::from(is_valid_credit_code(value));
            }
            11 => self.mobiles += u64::from(is_valid_mobile(value)),
            _ => {}
        }
        self.emails += u64::from(looks_like_email(value));
        self.names += u64::from(looks_like_name(value));
    }

    /// Whether at least 90 % of the non-null values matched.
    fn most(&self, matched: u64) -> bool {
        self.values > 0 && matched * 10 >= self.values * 9
    }

    fn pii_kind(&self, label: &str) -> PiiKind {
        if self.most(self.resident_ids) {
            PiiKind::ResidentId
        } else if self.most(self.mobiles) {
            PiiKind::Mobile
        } else if self.most(self.emails) {
            PiiKind::Email
        } else if self.most(self.names) {
            PiiKind::Name
        } else if ["地址", "住址", "住所"].iter().any(|h| label.contains(h)) {
            PiiKind::Address
        } else if label.contains("姓名") {
            PiiKind::Name
        } else {
            PiiKind::None
        }
    }

    fn data_type(&self, pii_kind: PiiKind) -> DataType {
        // Mobile numbers are integers to a parser, but identifiers to people: they are
        // matched, masked and written with a leading `+86`, never added up.
        if self.values == 0 || matches!(pii_kind, PiiKind::ResidentId | PiiKind::Mobile) {
            DataType::String
        } else if self.alive(self.miss_integer) {
            DataType::Integer
        } else if self.alive(self.miss_number) {
            DataType::Number
        } else if self.alive(self.miss_date) {
            DataType::Date
        } else if self.alive(self.miss_datetime) {
            DataType::Datetime
        } else if self.alive(self.miss_boolean) {
            DataType::Boolean
        } else {
            DataType::String
        }
    }

    fn propose(self, name: String, label: String) -> ProposedItem {
        let pii_kind = self.pii_kind(&label);
        let mut suggested_rules = Vec::new();
        if pii_kind == PiiKind::ResidentId {
            suggested_rules.push("resident_id".to_string());
        }
        if self.most(self.credit_codes) {
            suggested_rules.push("credit_code".to_string());
        }
        if pii_kind == PiiKind::Mobile {
            suggested_rules.push("mobile".to_string());
        }
        if self.nulls == 0 && self.values > 0 {
            suggested_rules.push("not_null".to_string());
        }
        ProposedItem {
            name,
            label,
            data_type: self.data_type(pii_kind),
            pii_kind,
            nulls: self.nulls,
            values: self.values,
            examples: self.examples,
            suggested_rules,
        }
    }
}

/// A leading zero (`0755`, `007`) or 18 digits/X (a resident ID): a code, not a quantity.
fn looks_like_code(value: &str) -> bool {
    let digit = |c: char| match c {
        '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0),
        '0'..='9' => Some(c),
        _ => None,
    };
    let unsigned = value.trim_start_matches(['-', '+', '－', '＋']);
    let mut chars = unsigned.chars().map(digit);
    let leading_zero = matches!(
        (chars.next(), chars.next()),
        (Some(Some('0')), Some(Some(_)))
    );
    let id_like = value.chars().count() == 18
        && value
            .chars()
            .all(|c| digit(c).is_some() || matches!(c, 'X' | 'x'));
    leading_zero || id_like
}

fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// ~100 common surnames (百家姓 by frequency), the compound ones first.
const COMPOUND_SURNAMES: [&str; 12] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
];
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘\
    于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶\
    黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤易常温康施文牛樊葛邢安齐庞";
/// Last characters of place, organisation and trade names (`龙城街道`, `石岩社区`,
/// `金融业`), which would otherwise pass as names starting with a surname.
const NOT_NAME_ENDINGS: &str =
    "区市省县镇乡村街道路巷号楼室局厅委院所站部处科办司业厂店社会馆校队组府场";

/// 2–4 Chinese characters starting with a common surname: probably a person's name.
fn looks_like_name(value: &str) -> bool {
    let count = value.chars().count();
    if !(2..=4).contains(&count) || !value.chars().all(is_cjk) {
        return false;
    }
    let surname = COMPOUND_SURNAMES
        .iter()
        .any(|s| value.starts_with(s) && count > 2)
        || value.chars().next().is_some_and(|c| SURNAMES.contains(c));
    let ending_ok = value
        .chars()
        .last()
        .is_some_and(|c| !NOT_NAME_ENDINGS.contains(c));
    surname && ending_ok
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Common field labels of government data and their column names; the first label of a
/// name is the one proposed for an English header.
const KNOWN_FIELDS: &[(&str, &str)] = &[
    ("统一社会信用代码", "credit_code"),
    ("社会信用代码", "credit_code"),
    ("信用代码", "credit_code"),
    ("名称", "name"),
    ("企业名称", "name"),
    ("单位名称", "name"),
    ("机构名称", "name"),
    ("姓名", "name"),
    ("法定代表人", "legal_rep"),
    ("法人代表", "legal_rep"),
    ("法定代表人姓名", "legal_rep"),
    ("法定代表人身份证号", "legal_rep_id"),
    ("法定代表人身份证号码", "legal_rep_id"),
    ("法人身份证号", "legal_rep_id"),
    ("身份证号码", "id_number"),
    ("身份证号", "id_number"),
    ("公民身份号码", "id_number"),
    ("证件号码", "id_number"),
    ("联系电话", "phone"),
    ("电话", "phone"),
    ("手机", "phone"),
    ("手机号", "phone"),
    ("手机号码", "phone"),
    ("联系方式", "phone"),
    ("地址", "address"),
    ("住所", "address"),
    ("住址", "address"),
    ("注册地址", "address"),
    ("经营场所", "address"),
    ("街道", "street"),
    ("社区", "community"),
    ("所属区", "district"),
    ("行政区", "district"),
    ("注册资本", "registered_capital"),
    ("成立日期", "established_on"),
    ("所属行业", "industry"),
    ("行业", "industry"),
    ("登记状态", "status"),
    ("状态", "status"),
    ("经营状态", "status"),
    ("企业类型", "enterprise_type"),
    ("经营范围", "business_scope"),
    ("登记机关", "registration_authority"),
    ("核准日期", "approved_on"),
    ("性别", "gender"),
    ("出生日期", "birth_date"),
    ("年龄", "age"),
    ("民族", "ethnicity"),
    ("电子邮箱", "email"),
    ("邮箱", "email"),
    ("邮政编码", "postcode"),
    ("邮编", "postcode"),
    ("联系人", "contact"),
    ("日期", "date"),
    ("时间", "time"),
    ("创建时间", "created_at"),
    ("更新时间", "updated_at"),
    ("金额", "amount"),
    ("数量", "quantity"),
    ("备注", "remark"),
    ("序号", "seq"),
    ("编号", "code"),
    ("类型", "type"),
    ("经度", "longitude"),
    ("纬度", "latitude"),
];

const MAX_NAME: usize = 64;

/// The header without surrounding white space or a byte-order mark.
fn clean_header(header: &str) -> &str {
    header.trim().trim_start_matches('\u{feff}').trim()
}

/// The column name before de-duplication.
fn base_name(header: &str, position: usize) -> String {
    if header.is_ascii() {
        let name: String = header
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid {
            return name.chars().take(MAX_NAME).collect();
        }
    }
    let known = |label: &str| {
        KNOWN_FIELDS
            .iter()
            .find(|(known, _)| *known == label)
            .map(|(_, name)| (*name).to_string())
    };
    known(header)
        .or_else(|| known(without_unit(header)))
        .unwrap_or_else(|| format!("col_{position}"))
}

/// `注册资本（万元）` → `注册资本`.
fn without_unit(header: &str) -> &str {
    match header.find(['(', '（']) {
        Some(at) if header.ends_with([')', '）']) => header[..at].trim_end(),
        _ => header,
    }
}

/// `base`, or `base_2`, `base_3`, … if taken; kept within 64 characters.
fn unique_name(base: &str, used: &mut HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !used.insert(name.clone()) {
        let suffix = format!("_{n}");
        // `base` is ASCII, so any byte index is a character boundary.
        let keep = base.len().min(MAX_NAME - suffix.len());
        name = format!("{}{suffix}", &base[..keep]);
        n += 1;
    }
    name
}

fn label(header: &str, base: &str) -> String {
    if header.chars().any(is_cjk) {
        return header.to_string();
    }
    match KNOWN_FIELDS.iter().find(|(_, name)| *name == base) {
        Some((known, _)) => (*known).to_string(),
        None if header.is_empty() => base.to_string(),
        None => header.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_string()).collect()
    }

    fn infer(header: &[&str], rows: &[Vec<&str>]) -> Vec<ProposedItem> {
        let mut inferrer = Inferrer::new(&headers(header));
        for row in rows {
            inferrer.observe(row);
        }
        assert_eq!(inferrer.rows(), rows.len() as u64);
        inferrer.finish()
    }

    /// The type proposed for a single column holding `values`.
    fn type_of(values: &[&str]) -> DataType {
        let rows: Vec<Vec<&str>> = values.iter().map(|v| vec![*v]).collect();
        infer(&["x"], &rows)[0].data_type
    }

    #[test]
    fn types_are_inferred_over_the_whole_sample() {
        let numbers: Vec<String> = (0..1000).map(|n| n.to_string()).collect();
        let mut rows: Vec<Vec<&str>> = numbers
            .iter()
            .map(|n| vec![n.as_str(), n.as_str()])
            .collect();
        rows.push(vec!["见附件", "1001"]);
        let items = infer(&["late_text", "all_numbers"], &rows);
        assert_eq!(items[0].data_type, DataType::String);
        assert_eq!(items[1].data_type, DataType::Integer);
        assert_eq!(items[0].values, 1001);
    }

    #[test]
    fn codes_with_leading_zeros_stay_strings() {
        assert_eq!(type_of(&["0755", "0101", "123"]), DataType::String);
        assert_eq!(type_of(&["０７５５"]), DataType::String);
        assert_eq!(type_of(&["0", "10", "-3", "0.5"]), DataType::Number);
        assert_eq!(type_of(&["0", "10", "-3"]), DataType::Integer);
        assert_eq!(type_of(&["110105194912310021"]), DataType::String);
    }

    #[test]
    fn each_type() {
        assert_eq!(type_of(&["1", "2,000", "", "\\N"]), DataType::Integer);
        assert_eq!(type_of(&["1", "0"]), DataType::Integer);
        assert_eq!(type_of(&["1.5", "2", "¥3"]), DataType::Number);
        assert_eq!(
            type_of(&["2021-02-09", "2021/2/10", "2021年2月11日"]),
            DataType::Date
        );
        assert_eq!(
            type_of(&["2021-02-09", "2021-02-09 10:00"]),
            DataType::Datetime
        );
        assert_eq!(type_of(&["是", "否", "TRUE", "no"]), DataType::Boolean);
        assert_eq!(type_of(&["是", "y"]), DataType::String);
        assert_eq!(type_of(&["", "NULL"]), DataType::String);
        assert_eq!(type_of(&["2021-02-09", "昨天"]), DataType::String);
    }

    #[test]
    fn ragged_rows() {
        let items = infer(&["a", "b"], &[vec!["1"], vec!["2", "3", "extra"], vec![]]);
        assert_eq!((items[0].values, items[0].nulls), (2, 1));
        assert_eq!((items[1].values, items[1].nulls), (1, 2));
        assert_eq!(items[1].examples, ["3"]);
    }

    #[test]
    fn examples_and_not_null() {
        let items = infer(
            &["a", "b"],
            &[
                vec!["x", ""],
                vec!["x", "1"],
                vec!["y", "2"],
                vec!["z", "3"],
                vec!["w", "4"],
            ],
        );
        assert_eq!(items[0].examples, ["x", "y", "z"]);
        assert_eq!(items[0].suggested_rules, ["not_null"]);
        assert!(items[1].suggested_rules.is_empty());
        assert_eq!(items[1].nulls, 1);
    }

    /// A resident ID with a valid check character for the 17 digits given.
    fn resident_id(first17: &str) -> String {
        format!(
            "{first17}{}",
            zhengshu_core::resident_id_check_char(first17).unwrap()
        )
    }

    fn credit_code(first17: &str) -> String {
        format!(
            "{first17}{}",
            zhengshu_core::credit_code_check_char(first17).unwrap()
        )
    }

    #[test]
    fn enterprise_sample() {
        let header = [
            "credit_code",
            "name",
            "legal_rep",
            "legal_rep_id",
            "phone",
            "street",
            "address",
            "registered_capital",
            "established_on",
            "industry",
            "status",
        ];
        let streets = [
            "龙城街道",
            "坂田街道",
            "南湾街道",
            "布吉街道",
            "横岗街道",
            "龙岗街道",
            "平湖街道",
            "吉华街道",
            "园山街道",
            "宝龙街道",
        ];
        let reps = [
            "张伟",
            "李娜",
            "王芳",
            "刘洋",
            "陈静",
            "杨磊",
            "黄敏",
            "赵强",
            "欧阳娜娜",
            "周杰",
        ];
        let industries = [
            "制造业",
            "批发和零售业",
            "信息传输、软件和信息技术服务业",
            "金融业",
            "建筑业",
        ];
        let statuses = ["存续", "在业", "注销", "吊销", "迁出"];
        let mut owned = Vec::new();
        for i in 0..200usize {
            let street = streets[i % streets.len()];
            owned.push([
                credit_code(&format!("91440300MA5{:06}", 100_000 + i)),
                format!(
                    "深圳市{}科技有限公司",
                    ["华腾", "鹏程", "创新", "云帆"][i % 4]
                ),
                reps[i % reps.len()].to_string(),
                resident_id(&format!(
                    "44030719{:02}0{}{:02}{:03}",
                    60 + i % 40,
                    1 + i % 9,
                    1 + i % 28,
                    i
                )),
                format!("13{}{:08}", 5 + i % 5, 1_000_000 + i * 37),
                street.to_string(),
                format!("深圳市龙岗区{street}{}号", i + 1),
                [
                    format!("{}", 100 + i),
                    format!("{}.5", 50 + i),
                    "1,000".to_string(),
                ][i % 3]
                    .clone(),
                if i % 2 == 0 {
                    format!("2015-03-{:02}", 1 + i % 28)
                } else {
                    format!("2018/6/{}", 1 + i % 28)
                },
                industries[i % industries.len()].to_string(),
                statuses[i % statuses.len()].to_string(),
            ]);
        }
        let rows: Vec<Vec<&str>> = owned
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let items = infer(&header, &rows);
        let item = |name: &str| items.iter().find(|i| i.name == name).unwrap();

        let credit = item("credit_code");
        assert_eq!(
            (credit.data_type, credit.pii_kind),
            (DataType::String, PiiKind::None)
        );
        assert_eq!(credit.suggested_rules, ["credit_code", "not_null"]);
        assert_eq!(credit.label, "统一社会信用代码");

        assert_eq!(item("name").pii_kind, PiiKind::None);
        assert_eq!(item("legal_rep").pii_kind, PiiKind::Name);

        let id = item("legal_rep_id");
        assert_eq!(
            (id.data_type, id.pii_kind),
            (DataType::String, PiiKind::ResidentId)
        );
        assert_eq!(id.suggested_rules, ["resident_id", "not_null"]);

        let phone = item("phone");
        assert_eq!(
            (phone.data_type, phone.pii_kind),
            (DataType::String, PiiKind::Mobile)
        );
        assert_eq!(phone.suggested_rules, ["mobile", "not_null"]);

        assert_eq!(item("address").pii_kind, PiiKind::Address);
        assert_eq!(item("registered_capital").data_type, DataType::Number);
        assert_eq!(item("established_on").data_type, DataType::Date);
        for name in ["street", "industry", "status"] {
            assert_eq!(
                (item(name).data_type, item(name).pii_kind),
                (DataType::String, PiiKind::None),
                "{name}"
            );
        }
        assert_eq!(item("legal_rep").values, 200);
    }

    #[test]
    fn pii_from_content_and_header() {
        let items = infer(
            &["联系人邮箱", "姓名", "住址", "备注"],
            &[
                vec!["a@example.cn", "", "", "王"],
                vec!["b.c@gov.cn", "", "深圳", "李四"],
            ],
        );
        let kinds: Vec<PiiKind> = items.iter().map(|i| i.pii_kind).collect();
        assert_eq!(
            kinds,
            [
                PiiKind::Email,
                PiiKind::Name,
                PiiKind::Address,
                PiiKind::None
            ]
        );
    }

    #[test]
    fn chinese_headers_map_to_names() {
        let items = infer(
            &[
                "统一社会信用代码",
                "企业名称",
                "法定代表人",
                "联系电话",
                "注册资本（万元）",
                "成立日期",
                "经度",
                "奇怪的列",
            ],
            &[],
        );
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "credit_code",
                "name",
                "legal_rep",
                "phone",
                "registered_capital",
                "established_on",
                "longitude",
                "col_8"
            ]
        );
        assert_eq!(items[4].label, "注册资本（万元）");
        assert_eq!(items[7].label, "奇怪的列");
    }

    #[test]
    fn english_headers_and_labels() {
        let items = infer(
            &["\u{feff}Credit Code", "first-name", "Phone No.", "x"],
            &[],
        );
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["credit_code", "first_name", "col_3", "x"]);
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["统一社会信用代码", "first-name", "Phone No.", "x"]);
    }

    #[test]
    fn duplicate_headers_are_de_duplicated() {
        let long = "a".repeat(70);
        let items = infer(
            &[
                "name", "Name", "名称", "电话", "电话", "name_2", "", "1abc", &long, &long,
            ],
            &[],
        );
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        let a62 = format!("{}_2", "a".repeat(62));
        assert_eq!(
            names,
            [
                "name",
                "name_2",
                "name_3",
                "phone",
                "phone_2",
                "name_2_2",
                "col_7",
                "col_8",
                &"a".repeat(64),
                &a62
            ]
        );
        assert!(items.iter().all(|i| i.name.len() <= MAX_NAME));
        assert_eq!(items[6].label, "col_7");
    }

    #[test]
    fn names_are_recognised() {
        for v in ["张伟", "欧阳娜娜", "诸葛亮", "王小明"] {
            assert!(looks_like_name(v), "{v}");
        }
        for v in [
            "张",
            "龙岗街道",
            "石岩社区",
            "金融业",
            "存续",
            "张伟伟伟伟",
            "Zhang",
            "王1",
        ] {
            assert!(!looks_like_name(v), "{v}");
        }
    }
}
