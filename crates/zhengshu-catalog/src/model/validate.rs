//! The rules of a catalog entry, checked all at once so a form or a spreadsheet row can
//! show every problem together.

use chrono::NaiveDate;
use zhengshu_core::PiiKind;

use super::{
    CatalogType, DataType, NewDataItem, NewResource, OpenType, ResourceFormat, SecurityGrade,
    ShareMethod, SharingType, UpdateCycle,
};
use crate::error::FieldError;

/// Longest accepted name, in characters.
const MAX_NAME: usize = 100;
const MAX_SUMMARY: usize = 2000;
const MAX_TEXT: usize = 500;
const MAX_ITEMS: usize = 500;

/// A resource that passed [`NewResource::validate`] (the unit is not checked against the
/// database yet: the service does that).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResource {
    pub code: Option<String>,
    pub name: String,
    pub summary: String,
    pub catalog_type: CatalogType,
    pub classification: String,
    pub theme: String,
    pub provider_unit_id: i64,
    pub format: ResourceFormat,
    pub sharing_type: SharingType,
    pub sharing_conditions: String,
    pub sharing_basis: String,
    pub share_method: ShareMethod,
    pub open_type: OpenType,
    pub open_conditions: String,
    pub open_basis: String,
    pub update_cycle: UpdateCycle,
    pub security_grade: SecurityGrade,
    pub publish_date: Option<String>,
    pub related_codes: Vec<String>,
    pub keywords: Vec<String>,
    pub items: Vec<ValidDataItem>,
}

/// A data item that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDataItem {
    pub name: String,
    pub label: String,
    pub data_type: DataType,
    pub length: Option<i64>,
    pub description: String,
    pub pii_kind: PiiKind,
}

/// 资源分类代码: 类 (1–3) + 项 (2 digits) + 目 (3 digits), optionally 细目 (3 more digits).
pub fn is_valid_classification(s: &str) -> bool {
    (s.len() == 6 || s.len() == 9)
        && s.bytes().all(|b| b.is_ascii_digit())
        && CatalogType::from_class_digit(s.chars().next().unwrap_or('0')).is_some()
}

/// Whether `code` follows `{classification}-{unit:04}-{seq:04}`.
pub(crate) fn parse_code(code: &str) -> Option<(&str, i64, i64)> {
    let mut parts = code.split('-');
    let (class, unit, seq) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_valid_classification(class) || unit.len() < 4 || seq.len() != 4
    {
        return None;
    }
    if !unit.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((class, unit.parse().ok()?, seq.parse().ok()?))
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn err(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn text(&mut self, field: &str, value: &str, required: bool, max: usize) -> String {
        let v = value.trim();
        if required && v.is_empty() {
            self.err(field, "is required");
        } else if v.chars().count() > max {
            self.err(field, format!("is longer than {max} characters"));
        }
        v.to_string()
    }

    fn vocab<T: Copy>(
        &mut self,
        field: &str,
        value: &str,
        parse: fn(&str) -> Option<T>,
        expected: fn() -> String,
        default: Option<T>,
    ) -> Option<T> {
        if value.trim().is_empty() {
            if default.is_none() {
                self.err(field, format!("is required; use one of {}", expected()));
            }
            return default;
        }
        let parsed = parse(value);
        if parsed.is_none() {
            self.err(
                field,
                format!(
                    "`{}` is not allowed; use one of {}",
                    value.trim(),
                    expected()
                ),
            );
        }
        parsed
    }
}

fn split_list(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        for part in v.split([',', '，', ';', '；', '、', '\n']) {
            let part = part.trim();
            if !part.is_empty() && !out.iter().any(|o| o == part) {
                out.push(part.to_string());
            }
        }
    }
    out
}

fn is_field_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl NewResource {
    /// Checks every field. `default_unit` is the caller's unit, used when no provider is given.
    pub fn validate(&self, default_unit: Option<i64>) -> Result<ValidResource, Vec<FieldError>> {
        let mut c = Checker { errors: Vec::new() };
        let name = c.text("name", &self.name, true, MAX_NAME);
        let summary = c.text("summary", &self.summary, true, MAX_SUMMARY);
        let theme = c.text("theme", &self.theme, false, 30);
        let classification = self.classification.trim().to_string();
        let class_type = classification
            .chars()
            .next()
            .and_then(CatalogType::from_class_digit);
        if !is_valid_classification(&classification) {
            c.err(
                "classification",
                format!(
                    "`{classification}` is not a classification code: 6 digits, 类 (1 基础, 2 主题, 3 部门) + 项 (2) + 目 (3), e.g. 101001"
                ),
            );
        }
        let catalog_type = c.vocab(
            "catalog_type",
            &self.catalog_type,
            CatalogType::parse,
            CatalogType::expected,
            class_type,
        );
        if let (Some(t), Some(ct)) = (catalog_type, class_type) {
            if t != ct {
                c.err(
                    "catalog_type",
                    format!("{} does not match classification {classification}, whose first digit means {}", t.label_zh(), ct.label_zh()),
                );
            }
        }
        let provider_unit_id = self.provider_unit_id.or(default_unit);
        if provider_unit_id.is_none() {
            c.err("provider_unit_id", "choose the providing unit (资源提供方)");
        }
        let format = c.vocab(
            "format",
            &self.format,
            ResourceFormat::parse,
            ResourceFormat::expected,
            None,
        );
        let sharing_type = c.vocab(
            "sharing_type",
            &self.sharing_type,
            SharingType::parse,
            SharingType::expected,
            None,
        );
        let sharing_conditions = c.text(
            "sharing_conditions",
            &self.sharing_conditions,
            false,
            MAX_TEXT,
        );
        let sharing_basis = c.text("sharing_basis", &self.sharing_basis, false, MAX_TEXT);
        let share_method = c.vocab(
            "share_method",
            &self.share_method,
            ShareMethod::parse,
            ShareMethod::expected,
            Some(ShareMethod::Api),
        );
        let open_type = c.vocab(
            "open_type",
            &self.open_type,
            OpenType::parse,
            OpenType::expected,
            None,
        );
        let open_conditions = c.text("open_conditions", &self.open_conditions, false, MAX_TEXT);
        let open_basis = c.text("open_basis", &self.open_basis, false, MAX_TEXT);
        let update_cycle = c.vocab(
            "update_cycle",
            &self.update_cycle,
            UpdateCycle::parse,
            UpdateCycle::expected,
            None,
        );
        let security_grade = c.vocab(
            "security_grade",
            &self.security_grade,
            SecurityGrade::parse,
            SecurityGrade::expected,
            None,
        );
        match sharing_type {
            Some(SharingType::Conditional) if sharing_conditions.is_empty() => c.err(
                "sharing_conditions",
                "有条件共享 needs its conditions (共享条件)",
            ),
            Some(SharingType::NotShared) if sharing_basis.is_empty() => c.err(
                "sharing_basis",
                "不予共享 needs a basis in law, regulation or national policy (不予共享依据)",
            ),
            _ => {}
        }
        match open_type {
            Some(OpenType::Conditional) if open_conditions.is_empty() => c.err(
                "open_conditions",
                "有条件开放 needs its conditions (开放条件)",
            ),
            Some(OpenType::NotOpen) if open_basis.is_empty() => {
                c.err("open_basis", "不予开放 needs a legal basis (不予开放依据)")
            }
            _ => {}
        }
        if sharing_type == Some(SharingType::NotShared)
            && open_type.is_some_and(OpenType::is_public)
        {
            c.err(
                "open_type",
                "a resource that is 不予共享 cannot be opened to the public; choose 不予开放",
            );
        }
        if security_grade == Some(SecurityGrade::Core) && open_type.is_some_and(OpenType::is_public)
        {
            c.err(
                "open_type",
                "核心 data is never opened to the public; choose 不予开放",
            );
        }
        let publish_date = match self
            .publish_date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(date) => Some(date.format("%Y-%m-%d").to_string()),
                Err(_) => {
                    c.err(
                        "publish_date",
                        format!("`{d}` is not a date; write YYYY-MM-DD"),
                    );
                    None
                }
            },
        };
        let related_codes = split_list(&self.related_codes);
        for code in &related_codes {
            if parse_code(code).is_none() {
                c.err(
                    "related_codes",
                    format!("`{code}` is not a resource code like 101001-0001-0001"),
                );
            }
        }
        let keywords = split_list(&self.keywords);
        if keywords.len() > 20 || keywords.iter().any(|k| k.chars().count() > 30) {
            c.err(
                "keywords",
                "at most 20 keywords of at most 30 characters each",
            );
        }
        let code = self
            .code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some(code) = &code {
            match parse_code(code) {
                None => c.err("code", format!("`{code}` is not a resource code: classification-unit-sequence, e.g. 101001-0001-0001")),
                Some((class, unit, _)) => {
                    if class != classification {
                        c.err("code", format!("code `{code}` does not start with the classification {classification}"));
                    }
                    if provider_unit_id.is_some_and(|u| u != unit) {
                        c.err("code", format!("code `{code}` names unit {unit}, not the providing unit"));
                    }
                }
            }
        }
        let items = self.validate_items(&mut c);
        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        // Every Option below is Some when no error was recorded.
        match (
            catalog_type,
            provider_unit_id,
            format,
            sharing_type,
            share_method,
            open_type,
            update_cycle,
            security_grade,
        ) {
            (
                Some(catalog_type),
                Some(provider_unit_id),
                Some(format),
                Some(sharing_type),
                Some(share_method),
                Some(open_type),
                Some(update_cycle),
                Some(security_grade),
            ) => Ok(ValidResource {
                code,
                name,
                summary,
                catalog_type,
                classification,
                theme,
                provider_unit_id,
                format,
                sharing_type,
                sharing_conditions,
                sharing_basis,
                share_method,
                open_type,
                open_conditions,
                open_basis,
                update_cycle,
                security_grade,
                publish_date,
                related_codes,
                keywords,
                items,
            }),
            _ => Err(vec![FieldError::new("resource", "incomplete")]),
        }
    }

    fn validate_items(&self, c: &mut Checker) -> Vec<ValidDataItem> {
        if self.items.len() > MAX_ITEMS {
            c.err("items", format!("at most {MAX_ITEMS} data items"));
        }
        let mut out: Vec<ValidDataItem> = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let f = |k: &str| format!("items[{}].{k}", i + 1);
            if let Some(v) = validate_item(item, &f, c) {
                if out.iter().any(|o| o.name.eq_ignore_ascii_case(&v.name)) {
                    c.err(f("name"), format!("field name `{}` appears twice", v.name));
                }
                out.push(v);
            }
        }
        out
    }
}

fn validate_item(
    item: &NewDataItem,
    f: &dyn Fn(&str) -> String,
    c: &mut Checker,
) -> Option<ValidDataItem> {
    let before = c.errors.len();
    let name = item.name.trim().to_string();
    if !is_field_name(&name) || name.len() > 64 {
        c.err(f("name"), format!("`{name}` is not a field name: letters, digits and _, starting with a letter, at most 64"));
    }
    let label = c.text(&f("label"), &item.label, true, 50);
    let data_type = c.vocab(
        &f("data_type"),
        &item.data_type,
        DataType::parse,
        DataType::expected,
        None,
    );
    if let Some(len) = item.length {
        if !(1..=100_000).contains(&len) {
            c.err(f("length"), format!("{len} is out of range 1–100000"));
        }
    }
    let description = c.text(&f("description"), &item.description, false, MAX_TEXT);
    let pii_kind = if item.pii_kind.trim().is_empty() {
        Some(PiiKind::None)
    } else {
        match item.pii_kind.parse::<PiiKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                let expected = PiiKind::ALL
                    .iter()
                    .map(|k| k.label_zh())
                    .collect::<Vec<_>>()
                    .join("/");
                c.err(
                    f("pii_kind"),
                    format!(
                        "`{}` is not a PII kind; use one of {expected}",
                        item.pii_kind.trim()
                    ),
                );
                None
            }
        }
    };
    if c.errors.len() > before {
        return None;
    }
    Some(ValidDataItem {
        name,
        label,
        data_type: data_type?,
        length: item.length,
        description,
        pii_kind: pii_kind?,
    })
}

#[cfg(test)]
mod tests;
