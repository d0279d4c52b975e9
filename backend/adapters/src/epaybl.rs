//! Fee payment shaped like ePayBL: the applicant is redirected to the provider's payment page with
//! a signed request; the provider reports the outcome with a signed server-to-server callback and
//! sends the browser back. Only this module knows the wire format.
//!
//! Both directions are signed with HMAC-SHA256 over a canonical string, keyed with the secret the
//! authority shares with the provider. A callback is trusted only if its signature verifies; the
//! caller handles it idempotently by its event id (a provider retries and sometimes doubles).
//!
//! The simulator (served by the app under `/sim/epaybl/…`) uses [`Provider::sign_callback`] to
//! produce exactly what the real provider would send, including declined, abandoned and doubled
//! callbacks.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PaymentError {
    #[error("the signature does not verify")]
    BadSignature,
    #[error("a field is missing or malformed: {0}")]
    Malformed(&'static str),
    #[error("the secret is too short")]
    WeakSecret,
}

/// The outcome a provider reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Paid,
    Declined,
    Abandoned,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Paid => "paid",
            Outcome::Declined => "declined",
            Outcome::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "paid" => Some(Outcome::Paid),
            "declined" => Some(Outcome::Declined),
            "abandoned" => Some(Outcome::Abandoned),
            _ => None,
        }
    }
}

/// What the procedure asks the provider to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// Our reference, opaque to the provider (`<tenant>.<payment>`).
    pub reference: String,
    pub amount_cents: i64,
    /// The fee code shown on the statement (never personal data).
    pub purpose: String,
    /// Where the provider sends the browser back.
    pub return_url: String,
}

/// A callback as received (form fields), before verification.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct CallbackFields {
    #[serde(default)]
    pub reference: String,
    /// The provider's transaction id.
    #[serde(default)]
    pub txn: String,
    /// The provider's id of this notification; a retry repeats it.
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub amount_cents: String,
    #[serde(default)]
    pub signature: String,
}

/// A callback whose signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub reference: String,
    pub txn: String,
    pub event: String,
    pub outcome: Outcome,
    pub amount_cents: i64,
}

/// The provider account of one platform: its payment page and the shared secret.
#[derive(Clone)]
pub struct Provider {
    pay_url: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("pay_url", &self.pay_url)
            .finish_non_exhaustive()
    }
}

fn enc(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl Provider {
    /// `pay_url`: the provider's payment page (the simulator's `/sim/epaybl/pay` locally).
    pub fn new(pay_url: impl Into<String>, secret: &[u8]) -> Result<Self, PaymentError> {
        if secret.len() < 32 {
            return Err(PaymentError::WeakSecret);
        }
        Ok(Self {
            pay_url: pay_url.into(),
            secret: secret.to_vec(),
        })
    }

    fn mac(&self, canonical: &str) -> Result<HmacSha256, PaymentError> {
        let mut mac =
            HmacSha256::new_from_slice(&self.secret).map_err(|_| PaymentError::WeakSecret)?;
        mac.update(canonical.as_bytes());
        Ok(mac)
    }

    fn sign(&self, canonical: &str) -> Result<String, PaymentError> {
        Ok(hex::encode(self.mac(canonical)?.finalize().into_bytes()))
    }

    fn verify(&self, canonical: &str, signature: &str) -> Result<(), PaymentError> {
        let bytes = hex::decode(signature).map_err(|_| PaymentError::BadSignature)?;
        self.mac(canonical)?
            .verify_slice(&bytes)
            .map_err(|_| PaymentError::BadSignature)
    }

    fn request_canonical(r: &PaymentRequest) -> String {
        format!(
            "request\n{}\n{}\n{}\n{}",
            r.reference, r.amount_cents, r.purpose, r.return_url
        )
    }

    fn callback_canonical(
        reference: &str,
        txn: &str,
        event: &str,
        outcome: &str,
        amount: &str,
    ) -> String {
        format!("callback\n{reference}\n{txn}\n{event}\n{outcome}\n{amount}")
    }

    /// The URL the browser is redirected to.
    pub fn redirect_url(&self, request: &PaymentRequest) -> Result<String, PaymentError> {
        let signature = self.sign(&Self::request_canonical(request))?;
        Ok(format!(
            "{}?reference={}&amount_cents={}&purpose={}&return_url={}&signature={}",
            self.pay_url,
            enc(&request.reference),
            request.amount_cents,
            enc(&request.purpose),
            enc(&request.return_url),
            signature
        ))
    }

    /// The provider side: checks that a payment page request came from the procedure.
    pub fn verify_request(
        &self,
        request: &PaymentRequest,
        signature: &str,
    ) -> Result<(), PaymentError> {
        self.verify(&Self::request_canonical(request), signature)
    }

    /// The provider side: a signed callback.
    pub fn sign_callback(
        &self,
        reference: &str,
        txn: &str,
        event: &str,
        outcome: Outcome,
        amount_cents: i64,
    ) -> Result<CallbackFields, PaymentError> {
        let amount = amount_cents.to_string();
        let signature = self.sign(&Self::callback_canonical(
            reference,
            txn,
            event,
            outcome.as_str(),
            &amount,
        ))?;
        Ok(CallbackFields {
            reference: reference.to_owned(),
            txn: txn.to_owned(),
            event: event.to_owned(),
            outcome: outcome.as_str().to_owned(),
            amount_cents: amount,
            signature,
        })
    }

    /// The procedure side: verifies a callback (constant-time) and parses it.
    pub fn verify_callback(&self, fields: &CallbackFields) -> Result<Callback, PaymentError> {
        self.verify(
            &Self::callback_canonical(
                &fields.reference,
                &fields.txn,
                &fields.event,
                &fields.outcome,
                &fields.amount_cents,
            ),
            &fields.signature,
        )?;
        let outcome = Outcome::parse(&fields.outcome).ok_or(PaymentError::Malformed("outcome"))?;
        let amount_cents = fields
            .amount_cents
            .parse()
            .map_err(|_| PaymentError::Malformed("amount_cents"))?;
        if fields.event.is_empty() || fields.event.len() > 100 {
            return Err(PaymentError::Malformed("event"));
        }
        if fields.txn.len() > 100 {
            return Err(PaymentError::Malformed("txn"));
        }
        Ok(Callback {
            reference: fields.reference.clone(),
            txn: fields.txn.clone(),
            event: fields.event.clone(),
            outcome,
            amount_cents,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn provider() -> Provider {
        Provider::new("http://127.0.0.1/sim/epaybl/pay", &[7u8; 32]).unwrap()
    }

    #[test]
    fn callbacks_verify_and_forgeries_do_not() {
        let p = provider();
        let fields = p
            .sign_callback("t.p", "TX1", "EV1", Outcome::Paid, 9300)
            .unwrap();
        let cb = p.verify_callback(&fields).unwrap();
        assert_eq!((cb.outcome, cb.amount_cents), (Outcome::Paid, 9300));
        let mut forged = fields.clone();
        forged.amount_cents = "1".into();
        assert_eq!(p.verify_callback(&forged), Err(PaymentError::BadSignature));
        let other = Provider::new("x", &[8u8; 32]).unwrap();
        assert_eq!(
            other.verify_callback(&fields),
            Err(PaymentError::BadSignature)
        );
        let mut garbage = fields;
        garbage.signature = "zz".into();
        assert_eq!(p.verify_callback(&garbage), Err(PaymentError::BadSignature));
    }

    #[test]
    fn requests_are_signed() {
        let p = provider();
        let request = PaymentRequest {
            reference: "t.p".into(),
            amount_cents: 1300,
            purpose: "fiktionsbescheinigung".into(),
            return_url: "http://127.0.0.1/portal/x".into(),
        };
        let url = p.redirect_url(&request).unwrap();
        let signature = url.rsplit("signature=").next().unwrap();
        assert!(p.verify_request(&request, signature).is_ok());
        let mut cheaper = request;
        cheaper.amount_cents = 1;
        assert!(p.verify_request(&cheaper, signature).is_err());
        assert!(Provider::new("x", b"short").is_err());
    }
}
