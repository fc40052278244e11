from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatments"

    def ready(self):
        from config.caching import connect_curation_signals

        curated = [
            ("treatments", "Treatment"),
            ("treatments", "CostEstimate"),
            ("treatments", "SideEffect"),
            ("treatments", "RegulatoryEvent"),
            ("evidence", "Source"),
            ("evidence", "Outcome"),
            ("evidence", "Claim"),
            ("evidence", "Finding"),
        ]
        connect_curation_signals(self.apps.get_model(app, model) for app, model in curated)
