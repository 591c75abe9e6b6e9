"""Every feature on one unit of work, composed (never inherited) from the same notifier and
org chart, so a turn's messages are counted once and sent in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from services.absences import Absences
from services.checkins import CheckIns
from services.figures import Figures
from services.followups import FollowUps
from services.insight import Insight
from services.leader import LeaderActions
from services.my_data import MyData
from services.outlook_choice import OutlookWord
from services.privacy import Privacy
from services.skulderklap import Skulderklap
from services.team_day import TeamDay
from services.work import Work
from storage.locks import Lock


@dataclass(frozen=True)
class Features:
    work: Work
    absences: Absences
    leader: LeaderActions
    followups: FollowUps
    checkins: CheckIns
    kudos: Skulderklap
    team_day: TeamDay
    privacy: Privacy
    insight: Insight
    figures: Figures
    my_data: MyData
    outlook: OutlookWord

    async def try_lock(self, lock: Lock) -> bool:
        return await self.work.store.try_lock(lock)

    @property
    def enqueued(self) -> int:
        return self.work.enqueued


def features(work: Work) -> Features:
    absences = Absences(work)
    figures, my_data = Figures(work), MyData(work)
    return Features(
        work=work,
        absences=absences,
        leader=LeaderActions(work, absences),
        followups=FollowUps(work),
        checkins=CheckIns(work),
        kudos=Skulderklap(work),
        team_day=TeamDay(work),
        privacy=Privacy(work),
        insight=Insight(work, figures, my_data),
        figures=figures,
        my_data=my_data,
        outlook=OutlookWord(work),
    )
