//! The closed loop of an order as an explicit state machine: [`OrderState::apply`] takes
//! an [`Action`] and answers the next state or a [`Refusal`] naming the current state.

use super::{labelled_enum, Satisfaction};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// 工单状态: where an order is in the closed loop.
    OrderState {
        /// 已受理: taken in, not yet dispatched.
        Accepted = ("accepted", "已受理", "accepted"),
        /// 已派单: waiting for the lead unit to sign.
        Dispatched = ("dispatched", "已派单", "dispatched"),
        /// 已签收
        Signed = ("signed", "已签收", "signed"),
        /// 办理中
        Handling = ("handling", "办理中", "handling"),
        /// 延期审核中: an extension request waits for the supervisor.
        ExtensionPending = ("extension_pending", "延期审核中", "extension pending"),
        /// 已退单: returned by the unit, waiting for re-dispatch.
        Returned = ("returned", "已退单", "returned"),
        /// 已办结: replied, waiting for the call-back.
        Closed = ("closed", "已办结", "closed"),
        /// 已回访: called back and rated; the loop is complete.
        CalledBack = ("called_back", "已回访", "called back"),
        /// 已并单: merged into another order.
        Merged = ("merged", "已并单", "merged"),
    }
}

impl OrderState {
    /// Open311 `status`: `closed` once replied (or merged), else `open`.
    pub fn open311_status(self) -> &'static str {
        if self.is_open() {
            "open"
        } else {
            "closed"
        }
    }

    /// Whether the order still waits for the handling units.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            OrderState::Closed | OrderState::CalledBack | OrderState::Merged
        )
    }

    /// States whose Open311 status is `open`, for SQL filters.
    pub fn open_states() -> impl Iterator<Item = OrderState> {
        OrderState::ALL.iter().copied().filter(|s| s.is_open())
    }

    /// Badge class for pages.
    pub fn badge(self) -> &'static str {
        match self {
            OrderState::Closed | OrderState::CalledBack => "ok",
            OrderState::Returned | OrderState::ExtensionPending => "warn",
            OrderState::Merged => "muted",
            _ => "",
        }
    }

    /// The transition function: the state after `action`, or why it is refused.
    pub fn apply(self, action: Action) -> Result<OrderState, Refusal> {
        use Action as A;
        use OrderState as S;
        let next = match (self, action) {
            (S::Accepted, A::Dispatch) => S::Dispatched,
            (S::Accepted, A::AnswerDirectly) => S::Closed,
            (S::Dispatched | S::Returned, A::Redispatch) => S::Dispatched,
            (S::Dispatched, A::Sign) => S::Signed,
            (S::Dispatched | S::Signed, A::Return) => S::Returned,
            (S::Signed | S::Handling, A::Handle) => S::Handling,
            (S::ExtensionPending, A::Handle) => S::ExtensionPending,
            (S::Signed | S::Handling, A::RequestExtension) => S::ExtensionPending,
            (S::ExtensionPending, A::ApproveExtension | A::RefuseExtension) => S::Handling,
            (S::Signed | S::Handling | S::ExtensionPending, A::Reply) => S::Closed,
            (S::Dispatched | S::Signed | S::Handling | S::ExtensionPending, A::CoReply) => self,
            (
                S::Dispatched | S::Signed | S::Handling | S::ExtensionPending | S::Returned,
                A::Supervise,
            ) => self,
            (S::Accepted | S::Dispatched | S::Returned | S::Signed | S::Handling, A::Merge) => {
                S::Merged
            }
            (S::Closed, A::CallBack(Satisfaction::Unsatisfied)) => S::Dispatched,
            (S::Closed, A::CallBack(_)) => S::CalledBack,
            _ => {
                return Err(Refusal {
                    state: self,
                    action,
                })
            }
        };
        Ok(next)
    }

    /// The actions this state accepts (whoever may perform them).
    pub fn allowed_actions(self) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| self.apply(*a).is_ok())
            .collect()
    }
}

/// Something a person does to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 派单
    Dispatch,
    /// 直接答复: answered on the spot (consultations, redirects), no unit involved.
    AnswerDirectly,
    /// 改派
    Redispatch,
    /// 签收
    Sign,
    /// 退单
    Return,
    /// 办理 (a progress note)
    Handle,
    /// 申请延期
    RequestExtension,
    /// 批准延期
    ApproveExtension,
    /// 不予延期
    RefuseExtension,
    /// 答复办结
    Reply,
    /// 协办答复
    CoReply,
    /// 督办
    Supervise,
    /// 并单
    Merge,
    /// 回访
    CallBack(Satisfaction),
}

impl Action {
    /// Every action, with each call-back result.
    pub const ALL: &'static [Action] = &[
        Action::Dispatch,
        Action::AnswerDirectly,
        Action::Redispatch,
        Action::Sign,
        Action::Return,
        Action::Handle,
        Action::RequestExtension,
        Action::ApproveExtension,
        Action::RefuseExtension,
        Action::Reply,
        Action::CoReply,
        Action::Supervise,
        Action::Merge,
        Action::CallBack(Satisfaction::Satisfied),
        Action::CallBack(Satisfaction::Basic),
        Action::CallBack(Satisfaction::Unsatisfied),
    ];

    /// Machine name, as recorded in the event log and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Dispatch => "dispatch",
            Action::AnswerDirectly => "answer",
            Action::Redispatch => "redispatch",
            Action::Sign => "sign",
            Action::Return => "return",
            Action::Handle => "handle",
            Action::RequestExtension => "request_extension",
            Action::ApproveExtension => "approve_extension",
            Action::RefuseExtension => "refuse_extension",
            Action::Reply => "reply",
            Action::CoReply => "co_reply",
            Action::Supervise => "supervise",
            Action::Merge => "merge",
            Action::CallBack(_) => "call_back",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Action::Dispatch => "派单",
            Action::AnswerDirectly => "直接答复",
            Action::Redispatch => "改派",
            Action::Sign => "签收",
            Action::Return => "退单",
            Action::Handle => "办理",
            Action::RequestExtension => "申请延期",
            Action::ApproveExtension => "批准延期",
            Action::RefuseExtension => "不予延期",
            Action::Reply => "答复办结",
            Action::CoReply => "协办答复",
            Action::Supervise => "督办",
            Action::Merge => "并单",
            Action::CallBack(_) => "回访",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Action::Dispatch => "dispatch",
            Action::AnswerDirectly => "answer directly",
            Action::Redispatch => "re-dispatch",
            Action::Sign => "sign",
            Action::Return => "return",
            Action::Handle => "record handling",
            Action::RequestExtension => "request an extension",
            Action::ApproveExtension => "approve the extension",
            Action::RefuseExtension => "refuse the extension",
            Action::Reply => "reply",
            Action::CoReply => "add the co-unit's part",
            Action::Supervise => "send a supervision notice",
            Action::Merge => "merge",
            Action::CallBack(_) => "call back",
        }
    }

    /// Parses the machine name of an event (call-backs need their satisfaction).
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s && !matches!(a, Action::CallBack(_)))
    }
}

/// An action the order's current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub state: OrderState,
    pub action: Action,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "is {} ({}); cannot {}",
            self.state.label_zh(),
            self.state.label_en(),
            self.action.label_en()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_closes_the_loop() {
        let s = OrderState::Accepted;
        let s = s.apply(Action::Dispatch).unwrap();
        let s = s.apply(Action::Sign).unwrap();
        let s = s.apply(Action::Handle).unwrap();
        let s = s.apply(Action::Reply).unwrap();
        assert_eq!(s, OrderState::Closed);
        assert_eq!(
            s.apply(Action::CallBack(Satisfaction::Satisfied)),
            Ok(OrderState::CalledBack)
        );
        assert_eq!(
            s.apply(Action::CallBack(Satisfaction::Unsatisfied)),
            Ok(OrderState::Dispatched)
        );
    }

    #[test]
    fn terminal_states_refuse_everything_but_callback() {
        for a in Action::ALL {
            assert!(OrderState::CalledBack.apply(*a).is_err());
            assert!(OrderState::Merged.apply(*a).is_err());
            assert_eq!(
                OrderState::Closed.apply(*a).is_ok(),
                matches!(a, Action::CallBack(_))
            );
        }
    }

    #[test]
    fn refusal_names_the_current_state() {
        let r = OrderState::Closed.apply(Action::Sign).unwrap_err();
        assert_eq!(r.to_string(), "is 已办结 (closed); cannot sign");
    }

    #[test]
    fn open311_status_maps_every_state() {
        let open: Vec<_> = OrderState::open_states().collect();
        assert_eq!(open.len(), 6);
        assert_eq!(OrderState::Closed.open311_status(), "closed");
        assert_eq!(OrderState::Merged.open311_status(), "closed");
        assert_eq!(OrderState::Returned.open311_status(), "open");
    }
}
