//! The ASCII form a browser sends for a non-ASCII host.
