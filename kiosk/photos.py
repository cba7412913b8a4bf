"""Uploaded photos: checked for type and size, scaled, re-encoded, named by their content."""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path
from typing import IO

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from kiosk.errors import OperationError

MAX_SIDE = 512
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before memory runs out
#: the only decoders tried: the type is read from the content, never from the file name
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
TOO_MANY_PIXELS = _l("De foto heeft te veel pixels (hoogstens 40 miljoen).")
NOT_A_PHOTO = _l("Dit bestand is geen foto. Kies een foto in JPEG, PNG of WebP.")


def save_photo(upload: IO[bytes], folder: Path, max_bytes: int) -> str:
    """Store an uploaded photo as a scaled PNG or JPEG; return its file name."""
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OperationError(
            413,
            "photo_too_large",
            _l(
                "De foto is te groot (hoogstens %(megabytes)s MB).",
                megabytes=max_bytes // 1_000_000,
            ),
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, images far larger than it expects: both are a refusal
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise OperationError(413, "photo_too_large", TOO_MANY_PIXELS)
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                has_alpha = image.mode in ("RGBA", "LA", "P")
                converted = image.convert("RGBA" if has_alpha else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise OperationError(413, "photo_too_large", TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise OperationError(415, "photo_type", NOT_A_PHOTO) from error
    out = io.BytesIO()
    extension = "png" if has_alpha else "jpg"
    converted.save(out, format="PNG" if has_alpha else "JPEG", quality=85)
    encoded = out.getvalue()
    name = f"{hashlib.sha256(encoded).hexdigest()[:24]}.{extension}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(encoded)
    return name
