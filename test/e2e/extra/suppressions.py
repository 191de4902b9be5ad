"""Editor tests: suppression comments. One names a code that does not exist; one suppresses nothing."""

total = 0  # lockorder: ignore[LO999]
count = 1  # lockorder: ignore[LO101]
