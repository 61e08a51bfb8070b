"""The review desk: review tables and pages, clerks' decisions, labels and active learning."""
