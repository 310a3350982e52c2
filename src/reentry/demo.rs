//! Synthetic reentry records for the demo (placeholder).
