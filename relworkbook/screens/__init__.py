"""One module per screen. Each screen gets what it needs from the app it runs in
(``self.app.store``, ``self.app.catalog``) or through its constructor."""
