#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod clock;
pub mod mask;
pub mod text;
pub mod validate;

pub use calendar::{DayKind, WorkingCalendar};
pub use clock::{china_offset, Clock, FixedClock, SharedClock, SystemClock};
pub use mask::{
    mask, mask_address, mask_bank_card, mask_email, mask_mobile, mask_name, mask_resident_id,
    mask_resident_id_region, PiiKind, UnknownPiiKind,
};
pub use text::{normalize_for_search, strip_pinyin_annotations, to_half_width, to_simplified};
pub use validate::{
    credit_code, credit_code_check_char, is_valid_credit_code, is_valid_mobile,
    is_valid_resident_id, resident_id, resident_id_check_char, CreditCode, CreditCodeError,
    IdError, ResidentId,
};
