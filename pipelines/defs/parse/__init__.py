"""The parse domain: parsing spread over an executor's workers, into the batch store."""
