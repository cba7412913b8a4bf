"""The `till` blueprint object."""

from flask import Blueprint

bp = Blueprint("till", __name__)
