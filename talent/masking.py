"""The roster's masking rules live in `bureau.masking`, shared by every app with personal data;
kept here under their old name for the talent app's imports."""

from bureau.masking import MASK, mask_email, mask_name, mask_phone

__all__ = ["MASK", "mask_email", "mask_name", "mask_phone"]
