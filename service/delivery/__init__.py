"""Getting a packet to the payer: adapters for channels that can send by themselves (fax)."""
