"""The maturity framework as data: components, questions, the ordered scale and descriptors.

Nothing about NHS IMPACT is hard-coded: the shipped framework file is loaded into these tables
and admins may edit it. Level names in imports must match a row here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base

if TYPE_CHECKING:
    from tracker.models.people import User


class Framework(Base):
    """A named maturity framework (for example NHS IMPACT), identified by a stable slug."""

    __tablename__ = "framework"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40), default="1")

    levels: Mapped[list[MaturityLevel]] = relationship(
        back_populates="framework", order_by="MaturityLevel.rank"
    )
    components: Mapped[list[Component]] = relationship(
        back_populates="framework", order_by="Component.position"
    )


class MaturityLevel(Base):
    """One step of the framework's ordered scale; rank 1 is the lowest ("Starting")."""

    __tablename__ = "maturity_level"
    __table_args__ = (
        UniqueConstraint("framework_id", "rank"),
        UniqueConstraint("framework_id", "name"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    rank: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="levels")


class Component(Base):
    """One of the framework's components (the "domains" directors lead).

    `aliases` are other spellings seen in real documents (the sample spells the fifth component
    differently), so imports can recognise them."""

    __tablename__ = "component"
    __table_args__ = (
        UniqueConstraint("framework_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    framework: Mapped[Framework] = relationship(back_populates="components")
    questions: Mapped[list[Question]] = relationship(
        back_populates="component", order_by="Question.number"
    )


class Question(Base):
    """A scored question; its number is unique within the framework."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("framework_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    component_id: Mapped[int] = mapped_column(ForeignKey("component.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    component: Mapped[Component] = relationship(back_populates="questions")
    descriptors: Mapped[list[LevelDescriptor]] = relationship(back_populates="question")


class LevelDescriptor(Base):
    """What a level looks like for one question, when the framework file says so."""

    __tablename__ = "level_descriptor"
    __table_args__ = (UniqueConstraint("question_id", "level_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    level_id: Mapped[int] = mapped_column(ForeignKey("maturity_level.id"), index=True)
    text: Mapped[str] = mapped_column(Text)

    question: Mapped[Question] = relationship(back_populates="descriptors")
    level: Mapped[MaturityLevel] = relationship()


class DomainLead(Base):
    """A director accountable for a component within their organisation."""

    __tablename__ = "domain_lead"
    __table_args__ = (UniqueConstraint("component_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("component.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    component: Mapped[Component] = relationship()
    user: Mapped[User] = relationship()
