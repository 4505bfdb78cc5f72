//! Customer signals: the 16 customer needs, the ticket kind and sentiment.

use serde::{Deserialize, Serialize};

use crate::tagged::Evidence;

/// The 16 customer needs: nine product needs and seven service needs.
///
/// Serialized in snake_case (`ease_of_use`). The order is stable.
///
/// ```
/// use painpoint::Need;
/// assert_eq!(serde_json::to_string(&Need::EaseOfUse).unwrap(), "\"ease_of_use\"");
/// assert_eq!(Need::ALL.len(), 16);
/// assert!(Need::Price.is_product_need());
/// assert!(!Need::Honesty.is_product_need());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Product need: it works well and is well made.
    Quality,
    /// Product need: it is worth what it costs.
    Price,
    /// Product need: it is easy to learn and use.
    EaseOfUse,
    /// Product need: it can do what the customer needs done.
    Capability,
    /// Product need: it works with the customer's other tools.
    Compatibility,
    /// Product need: it is fast.
    Performance,
    /// Product need: it saves effort, is at hand when needed.
    Convenience,
    /// Product need: it works every time, does not crash or lose data.
    Reliability,
    /// Product need: it saves time, steps or resources.
    Efficiency,
    /// Service need: someone is there to help, when needed.
    Availability,
    /// Service need: a choice of channels, plans and ways.
    Options,
    /// Service need: clear, correct information.
    Information,
    /// Service need: the customer controls and can follow their case.
    Control,
    /// Service need: the truth, kept promises.
    Honesty,
    /// Service need: fair treatment and fair charges.
    Fairness,
    /// Service need: being understood without repeating oneself.
    Understanding,
}

impl Need {
    /// All needs, product needs first, in declaration order.
    pub const ALL: [Need; 16] = [
        Need::Quality,
        Need::Price,
        Need::EaseOfUse,
        Need::Capability,
        Need::Compatibility,
        Need::Performance,
        Need::Convenience,
        Need::Reliability,
        Need::Efficiency,
        Need::Availability,
        Need::Options,
        Need::Information,
        Need::Control,
        Need::Honesty,
        Need::Fairness,
        Need::Understanding,
    ];

    /// Whether this is one of the nine product needs (else a service need).
    pub fn is_product_need(self) -> bool {
        (self as usize) < 9
    }
}

/// What kind of ticket it is.
///
/// ```
/// use painpoint::Kind;
/// assert_eq!(serde_json::to_string(&Kind::FeatureRequest).unwrap(), "\"feature_request\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Something is broken.
    Bug,
    /// Something is missing.
    FeatureRequest,
    /// The customer asks how or whether.
    Question,
    /// Dissatisfaction with service, price or policy rather than a defect.
    Complaint,
    /// The customer is happy.
    Praise,
    /// None of the above.
    Other,
}

impl Kind {
    /// All kinds in declaration order.
    pub const ALL: [Kind; 6] = [
        Kind::Bug,
        Kind::FeatureRequest,
        Kind::Question,
        Kind::Complaint,
        Kind::Praise,
        Kind::Other,
    ];
}

/// The label of a sentiment score.
///
/// ```
/// use painpoint::Polarity;
/// assert_eq!(serde_json::to_string(&Polarity::Negative).unwrap(), "\"negative\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Unhappy.
    Negative,
    /// Neither.
    Neutral,
    /// Happy.
    Positive,
}

/// A need a ticket speaks to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NeedMatch {
    /// The need.
    pub need: Need,
    /// Confidence in `[0, 1]`.
    pub score: f64,
    /// The words behind it.
    pub evidence: Vec<Evidence>,
}

/// The kind of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KindMatch {
    /// The kind.
    pub label: Kind,
    /// Confidence in `[0, 1]`.
    pub score: f64,
    /// The words behind it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// The sentiment of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentimentScore {
    /// The label.
    pub label: Polarity,
    /// The score in `[-1, 1]`: below zero unhappy, above zero happy.
    pub score: f64,
    /// The words behind it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}
