"""Importación endurecida de capas vectoriales y ráster."""
