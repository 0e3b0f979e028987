"""The baseline of bench/page_overhead.py: a bare Flask route, served exactly like the portal."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "ok"
