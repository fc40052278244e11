"""Keep grades current: any change to a finding, a source or a claim regrades what depends on it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import Claim, Finding, Source


@receiver([post_save, post_delete], sender=Finding, dispatch_uid="regrade_on_finding")
def regrade_on_finding(sender, instance, raw=False, **kwargs):
    if raw or services.regrading_is_deferred():
        return
    services.regrade_claim_ids([instance.claim_id])


@receiver(post_save, sender=Source, dispatch_uid="regrade_on_source")
def regrade_on_source(sender, instance, raw=False, **kwargs):
    if raw or services.regrading_is_deferred():
        return
    services.regrade_for_source(instance.pk)


@receiver(post_save, sender=Claim, dispatch_uid="regrade_on_claim")
def regrade_on_claim(sender, instance, raw=False, **kwargs):
    if raw or services.regrading_is_deferred():
        return
    services.regrade_claim_ids([instance.pk])


@receiver(post_delete, sender=Claim, dispatch_uid="refresh_headline_on_claim_delete")
def refresh_headline_on_claim_delete(sender, instance, **kwargs):
    if services.regrading_is_deferred():
        return
    services.refresh_headlines([instance.treatment_id])
