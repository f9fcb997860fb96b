//! PEM documents (RFC 7468): one `BEGIN`/`END` block around base64 DER.
//!
//! The labels must match, the body is standard base64 with its padding,
//! split into lines anywhere. Text before the block is skipped, as RFC 7468
//! section 2 asks (OpenSSL writes `Bag Attributes` there); text after it is
//! refused as malformed. Explanatory headers (`Proc-Type:`, the legacy
//! OpenSSL encryption) are refused as unsupported.

use crate::error::{Error, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

const BEGIN: &str = "-----BEGIN ";
const MALFORMED: Error = Error::JwkInvalid("the PEM document is malformed");

/// The document's label and the DER it carries.
pub(crate) fn decode(pem: &str) -> Result<(&str, Vec<u8>)> {
    let pem = pem.trim();
    let begin = match pem.starts_with(BEGIN) {
        true => 0,
        false => pem.find(&format!("\n{BEGIN}")).map(|at| at + 1).ok_or(MALFORMED)?,
    };
    let body = pem.get(begin + BEGIN.len()..).ok_or(MALFORMED)?;
    let (label, body) = body.split_once("-----").ok_or(MALFORMED)?;
    let end = format!("-----END {label}-----");
    let body = body.strip_suffix(end.as_str()).ok_or(MALFORMED)?;
    if body.contains(':') {
        return Err(Error::NotSupported("PEM headers (legacy encrypted keys) are not supported"));
    }
    let base64: String = body.split_ascii_whitespace().collect();
    let der = STANDARD.decode(base64).map_err(|_| MALFORMED)?;
    Ok((label, der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_label_and_body() {
        let pem = "\n-----BEGIN PUBLIC KEY-----\r\nAAEC\r\nAw==\r\n-----END PUBLIC KEY-----\n";
        assert_eq!(decode(pem), Ok(("PUBLIC KEY", vec![0, 1, 2, 3])));
    }

    #[test]
    fn skips_text_before_the_block() {
        let pem = "Bag Attributes\n    localKeyID: 01 02\nKey Attributes: <No Attributes>\n-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----\n";
        assert_eq!(decode(pem), Ok(("PRIVATE KEY", vec![0, 1, 2])));
        assert_eq!(decode("not at a line start -----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----"), Err(MALFORMED));
    }

    #[test]
    fn refuses_mismatched_labels_missing_padding_and_trailing_text() {
        for bad in [
            "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAAECAw\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----\nmore",
            "-----BEGIN PUBLIC KEY-----\nAA-_\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----",
            "AAEC",
        ] {
            assert_eq!(decode(bad), Err(MALFORMED), "{bad}");
        }
    }

    #[test]
    fn refuses_legacy_encrypted_keys_as_unsupported() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAEC\n-----END RSA PRIVATE KEY-----";
        assert!(matches!(decode(pem), Err(Error::NotSupported(_))));
    }
}
