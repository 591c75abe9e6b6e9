"""The follow-up conversation on record."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # The card's "held" form.
    "record_how": "Hvordan blev samtalen holdt?",
    "record_how_meeting": "Møde",
    "record_how_phone": "Telefon",
    "record_how_video": "Video",
    "record_participants": "Hvem deltog?",
    "record_participant_employee": "Medarbejderen",
    "record_participant_leader": "Lederen",
    "record_participant_leader_above": "Lederens leder (områdeleder/chef)",
    "record_participant_hr": "HR",
    "record_participant_union_rep": "Tillidsrepræsentant (TR)",
    "record_participant_safety_rep": "Arbejdsmiljørepræsentant (AMR)",
    "record_participant_job_centre": "Jobcentret",
    "record_participant_companion": "Bisidder",
    "record_next_steps": "Hvad blev aftalt?",
    "record_step_return_plan": "Plan for tilbagevenden",
    "record_step_partial_return": "Delvis genoptagelse af arbejdet",
    "record_step_mulighedserklaering": "Mulighedserklæring",
    "record_step_fastholdelsesplan": "Fastholdelsesplan (sygedagpengeloven § 7 b)",
    "record_step_job_centre_contact": "Kontakt til jobcentret (fx fast-track, § 7 c)",
    "record_bad_choice": "Et af valgene kendes ikke, så intet er gemt. Prøv igen fra kortet.",
    "record_shared": "Samtalens form, deltagere og aftaler kan medarbejderen og HR se; den private note kun du.",
    "record_done": "Samtalen: {how}. Deltagere: {participants}. Aftalt: {steps}.",
    "record_none": "intet angivet",
    # Advis and escalation beyond the recipient.
    "record_advis_role": "Til orientering: {leader} har fået en opfølgning med {name}: {rule}",
    "record_escalation_hr": "{leader}s opfølgning med {name} er {days:arbejdsdag|arbejdsdage} over fristen ({rule}, frist {deadline}). Følg op med chefen {chef}, som følger op med lederen.",
    # The tab, Mig.
    "record_tab_title": "Mine samtaler",
    "record_tab_none": "Der er ingen samtaler med dig på referat.",
    "record_tab_held": "Holdt {day}",
    "record_tab_how": "Form",
    "record_tab_participants": "Deltagere",
    "record_tab_steps": "Aftalt",
    "record_tab_comment": "Din kommentar",
    "record_tab_save": "Gem kommentar",
    "record_tab_saved": "Din kommentar er gemt.",
    "record_tab_not_saved": "Kommentaren kunne ikke gemmes.",
    "record_tab_private": "Du ser, hvad der er registreret om samtalen. Lederens egne arbejdsnoter er ikke en del af det.",
    "record_tab_samtaler": "Sygefraværssamtaler efter sygedagpengeloven § 7 a, holdt og manglende",
    # The access export's field names for the record's columns.
    "export_field_held_how": "samtaleform",
    "export_field_participants": "deltagere",
    "export_field_next_steps": "aftalt",
    "export_field_recorded_at": "samtale registreret",
    "export_field_employee_comment": "din kommentar",
    "export_field_employee_commented_at": "kommenteret",
}
