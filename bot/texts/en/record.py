"""The follow-up conversation on record."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # The card's "held" form.
    "record_how": "How was the conversation held?",
    "record_how_meeting": "Meeting",
    "record_how_phone": "Phone",
    "record_how_video": "Video",
    "record_participants": "Who took part?",
    "record_participant_employee": "The employee",
    "record_participant_leader": "The leader",
    "record_participant_leader_above": "The leader's leader (area leader/chef)",
    "record_participant_hr": "HR",
    "record_participant_union_rep": "Union representative (TR)",
    "record_participant_safety_rep": "Work environment representative (AMR)",
    "record_participant_job_centre": "The job centre",
    "record_participant_companion": "A companion",
    "record_next_steps": "What was agreed?",
    "record_step_return_plan": "Return-to-work plan",
    "record_step_partial_return": "Partial return to work",
    "record_step_mulighedserklaering": "Mulighedserklæring (fitness-for-work statement)",
    "record_step_fastholdelsesplan": "Retention plan (fastholdelsesplan, section 7 b)",
    "record_step_job_centre_contact": "Contact with the job centre (e.g. fast-track, section 7 c)",
    "record_bad_choice": "One of the choices is unknown, so nothing was saved. Try again from the card.",
    "record_shared": "The employee and HR can see how it was held, who took part and what was agreed; only you see the private note.",
    "record_done": "Conversation: {how}. Took part: {participants}. Agreed: {steps}.",
    "record_none": "none given",
    # Advis and escalation beyond the recipient.
    "record_advis_role": "For your information: {leader} has a follow-up with {name}: {rule}",
    "record_escalation_hr": "{leader}'s follow-up with {name} is {days:working day|working days} past its deadline ({rule}, deadline {deadline}). Follow up with the chef {chef}, who follows up with the leader.",
    # The tab, Mig.
    "record_tab_title": "My conversations",
    "record_tab_none": "No conversations with you are on record.",
    "record_tab_held": "Held {day}",
    "record_tab_how": "How",
    "record_tab_participants": "Took part",
    "record_tab_steps": "Agreed",
    "record_tab_comment": "Your comment",
    "record_tab_save": "Save comment",
    "record_tab_saved": "Your comment is saved.",
    "record_tab_not_saved": "The comment could not be saved.",
    "record_tab_private": "You see what is on record about the conversation. The leader's own working notes are not part of it.",
    "record_tab_samtaler": "Absence conversations under section 7 a, held and missing",
    # The access export's field names for the record's columns.
    "export_field_held_how": "how held",
    "export_field_participants": "took part",
    "export_field_next_steps": "agreed",
    "export_field_recorded_at": "conversation recorded",
    "export_field_employee_comment": "your comment",
    "export_field_employee_commented_at": "commented",
}
