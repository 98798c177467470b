//! Stage 1: input folder → raw rows with positions → validated [`crate::model::Period`].
