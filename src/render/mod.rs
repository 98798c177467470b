//! Stage 3: [`crate::model::Period`] → static HTML pages (tera templates).
