//! Tickets: what a customer wrote, and what the helpdesk knows about it.

use serde::{Deserialize, Deserializer, Serialize};

use crate::time::Timestamp;

/// One piece of customer feedback: a support ticket, a chat, a review.
///
/// Only `id` and `text` are required (`id` may be a JSON string or number).
/// The optional fields feed the [`Ledger`](crate::Ledger): when the ticket
/// was created, who wrote it, the account and its value, the channel, the
/// satisfaction score and how long it took to resolve.
///
/// # Example
///
/// ```
/// use painpoint::Ticket;
///
/// let ticket: Ticket = serde_json::from_str(
///     r#"{"id": 17, "text": "Card still not here", "customer": "c-9", "created_at": "2024-03-01"}"#,
/// ).unwrap();
/// assert_eq!(ticket.id, "17");
/// assert_eq!(ticket.customer.as_deref(), Some("c-9"));
///
/// let built = Ticket::new("t-1", "Where is my card?").subject("Card");
/// assert_eq!(built.subject.as_deref(), Some("Card"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ticket {
    /// The ticket's id in the helpdesk.
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// The body.
    pub text: String,
    /// The subject line or title, matched together with the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Who wrote it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string_or_number"
    )]
    pub customer: Option<String>,
    /// The customer's account (company).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string_or_number"
    )]
    pub account: Option<String>,
    /// The account's value (ARR, MRR, plan price: any consistent unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Where it came from: email, chat, phone, app review ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Customer satisfaction score given after resolution (any scale, e.g. 1-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<f64>,
    /// Hours from creation to resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_hours: Option<f64>,
}

impl Ticket {
    /// A ticket with an id and a body and nothing else.
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "My card has not arrived");
    /// assert_eq!((ticket.id.as_str(), ticket.text.as_str()), ("t1", "My card has not arrived"));
    /// assert_eq!(ticket.subject, None);
    /// ```
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Ticket {
        Ticket {
            id: id.into(),
            text: text.into(),
            ..Ticket::default()
        }
    }

    /// Sets the subject. The tagger reads it together with the body;
    /// evidence found in it says [`Field::Subject`](crate::Field::Subject).
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "Nothing happens when I click it").subject("CSV export");
    /// assert_eq!(ticket.subject.as_deref(), Some("CSV export"));
    /// ```
    pub fn subject(mut self, subject: impl Into<String>) -> Ticket {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the creation time (the [`Ledger`](crate::Ledger) buckets by it).
    ///
    /// ```
    /// use painpoint::{Ticket, Timestamp};
    ///
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// let ticket = Ticket::new("t1", "Card not here").created_at(day);
    /// assert_eq!(ticket.created_at.map(Timestamp::date), Some((2024, 3, 4)));
    /// ```
    pub fn created_at(mut self, at: Timestamp) -> Ticket {
        self.created_at = Some(at);
        self
    }

    /// Sets the customer (the [`Ledger`](crate::Ledger) counts distinct
    /// customers per node).
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "Card not here").customer("c-42");
    /// assert_eq!(ticket.customer.as_deref(), Some("c-42"));
    /// ```
    pub fn customer(mut self, customer: impl Into<String>) -> Ticket {
        self.customer = Some(customer.into());
        self
    }

    /// Sets the account and its value (both fields at once).
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "Card not here").account("acme", 12_000.0);
    /// assert_eq!(ticket.account.as_deref(), Some("acme"));
    /// assert_eq!(ticket.value, Some(12_000.0));
    /// ```
    pub fn account(mut self, account: impl Into<String>, value: f64) -> Ticket {
        self.account = Some(account.into());
        self.value = Some(value);
        self
    }

    /// Sets the channel.
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "Card not here").channel("chat");
    /// assert_eq!(ticket.channel.as_deref(), Some("chat"));
    /// ```
    pub fn channel(mut self, channel: impl Into<String>) -> Ticket {
        self.channel = Some(channel.into());
        self
    }

    /// Sets the CSAT score.
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "Card not here").csat(2.0);
    /// assert_eq!(ticket.csat, Some(2.0));
    /// ```
    pub fn csat(mut self, csat: f64) -> Ticket {
        self.csat = Some(csat);
        self
    }

    /// Sets the resolution time in hours.
    ///
    /// ```
    /// use painpoint::Ticket;
    ///
    /// let ticket = Ticket::new("t1", "Card not here").resolution_hours(36.5);
    /// assert_eq!(ticket.resolution_hours, Some(36.5));
    /// ```
    pub fn resolution_hours(mut self, hours: f64) -> Ticket {
        self.resolution_hours = Some(hours);
        self
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    String(String),
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl From<StringOrNumber> for String {
    fn from(value: StringOrNumber) -> String {
        match value {
            StringOrNumber::String(s) => s,
            StringOrNumber::Int(n) => n.to_string(),
            StringOrNumber::Uint(n) => n.to_string(),
            StringOrNumber::Float(n) => n.to_string(),
        }
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    StringOrNumber::deserialize(d).map(String::from)
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<StringOrNumber>::deserialize(d).map(|v| v.map(String::from))
}
