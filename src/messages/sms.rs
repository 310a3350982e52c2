//! Texts through an SMS provider (decision 0049): the interface the scheduler sends through,
//! [`SmsProvider`], and its one adapter, [`Twilio`]: Twilio's Programmable Messaging REST API
//! (`POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form fields `To`, `From`,
//! `Body`, HTTP basic auth with the account SID and auth token) and the check of its inbound
//! webhook's `X-Twilio-Signature` (base64 HMAC-SHA1, keyed with the auth token, over the URL
//! followed by each form parameter's name and value in name order).

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;

use crate::platform::config::Config;

/// What sends a text: answers the provider's id of the message, or why it was not accepted.
pub trait SmsProvider: Send + Sync {
    fn send(
        &self,
        to: &str,
        body: &str,
    ) -> impl std::future::Future<Output = Result<String, String>> + Send;
}

/// Twilio's Programmable Messaging API.
#[derive(Clone)]
pub struct Twilio {
    client: reqwest::Client,
    base: String,
    account_sid: String,
    auth_token: String,
    from: String,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

#[derive(Deserialize)]
struct Refused {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: String,
}

impl Twilio {
    /// The adapter the configuration describes, if it names an account, a token and a number.
    pub fn from_config(c: &Config) -> Option<Twilio> {
        let (Some(sid), Some(token), Some(from)) =
            (&c.sms_account_sid, &c.sms_auth_token, &c.sms_from)
        else {
            return None;
        };
        crate::platform::tls::install();
        Some(Twilio {
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .ok()?,
            base: c.sms_api_base.trim_end_matches('/').to_string(),
            account_sid: sid.clone(),
            auth_token: token.clone(),
            from: from.clone(),
        })
    }
}

impl SmsProvider for Twilio {
    async fn send(&self, to: &str, body: &str) -> Result<String, String> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base, self.account_sid
        );
        let r = self
            .client
            .post(&url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(&[("To", to), ("From", self.from.as_str()), ("Body", body)])
            .send()
            .await
            .map_err(|e| format!("SMS provider unreachable: {e}"))?;
        let status = r.status();
        if status.is_success() {
            let c: Created = r
                .json()
                .await
                .map_err(|e| format!("SMS provider answered {status} without a sid: {e}"))?;
            Ok(c.sid)
        } else {
            let e: Option<Refused> = r.json().await.ok();
            Err(match e {
                Some(e) => format!(
                    "SMS provider refused ({status}, code {}): {}",
                    e.code.unwrap_or_default(),
                    e.message
                ),
                None => format!("SMS provider refused ({status})"),
            })
        }
    }
}

/// The signature Twilio sends with a webhook posted to `url` with these form parameters.
///
/// # Panics
///
/// Never: HMAC takes a key of any length.
pub fn signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut data = url.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac =
        Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes any key");
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Is `given` the signature of this webhook? Compared in constant time.
///
/// # Panics
///
/// Never: HMAC takes a key of any length.
pub fn verify(auth_token: &str, url: &str, params: &[(String, String)], given: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(given.trim()) else {
        return false;
    };
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut mac =
        Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes any key");
    mac.update(url.as_bytes());
    for (k, v) in sorted {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    mac.verify_slice(&given).is_ok()
}

/// The address the provider posts replies to, as it signs it.
pub fn webhook_url(c: &Config) -> Option<String> {
    c.sms_webhook_url.clone().or_else(|| {
        c.public_url
            .as_ref()
            .map(|u| format!("{}/api/v1/messages/sms/inbound", u.trim_end_matches('/')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twilio's documented example ("Validating Requests are coming from Twilio"): auth token
    /// 12345, this URL and these parameters sign as `0/KCTR6DLpKmkAf8muzZqo1nDgQ=`.
    #[test]
    fn the_signature_matches_twilios_documented_example() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
        let s = signature("12345", url, &params);
        assert_eq!(s, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assert!(verify("12345", url, &params, &s));
        assert!(!verify("12346", url, &params, &s));
        assert!(!verify("12345", "https://mycompany.com/other", &params, &s));
        let mut changed = params.clone();
        changed[2].1 = "4321".into();
        assert!(!verify("12345", url, &changed, &s));
        assert!(!verify("12345", url, &params, "not base64!"));
    }
}
