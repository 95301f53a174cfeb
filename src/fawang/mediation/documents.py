"""Printable documents of the mediation line: the agreement of 第二十九条 as HTML and PDF."""

from __future__ import annotations

from django.template.loader import render_to_string

from fawang.mediation.choices import PartyRole
from fawang.mediation.models import Agreement


def agreement_html(agreement: Agreement) -> str:
    """The agreement with every party's basic information (第二十九条第一款第一项).

    Identity numbers, addresses and phones are read from the encrypted ``Party`` rows at the
    moment of printing: the document handed to the parties carries them in full; the stored
    snapshot only names the parties.
    """
    from fawang.cases.models import Party

    mediation = agreement.mediation
    ids = [p["party_id"] for p in agreement.parties_snapshot]
    by_id = {p.pk: p for p in Party.objects.filter(pk__in=ids)}
    labels = dict(PartyRole.choices)
    parties = []
    for snap in agreement.parties_snapshot:
        party = by_id.get(snap["party_id"])
        parties.append({
            "name": snap["name"], "role_label": labels.get(snap["role"], snap["role"]),
            "id_number": party.id_number if party else "", "address": party.address if party else "",
            "phone": party.phone if party else "",
        })
    return render_to_string("mediation/agreement.html", {
        "agreement": agreement, "mediation": mediation, "parties": parties, "copies": len(parties) + 1,
    })


def agreement_pdf(agreement: Agreement) -> bytes:
    from weasyprint import HTML

    return HTML(string=agreement_html(agreement)).write_pdf()
