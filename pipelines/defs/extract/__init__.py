"""The extract domain: stored blocks → quantities and indicator facts, plus the indicator catalog."""
