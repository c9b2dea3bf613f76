"""pipeline: Swedish regions' reports on agreements and targeted state grants -> a validated dataset."""

__version__ = "0.1.0"
