"""Empty stand-in for dotvar (only named in a printed tip by vuer's server). Test scaffolding."""
