"""Improvement actions: changing them and the read models that list them.

changes         assignment, status (optimistic locking), progress, bulk and leaver reassignment
milestones      adding, ticking and re-planning milestones
dashboard       read models for the dashboard, the component overview and the action lists
component_page  read model for one component page (questions, levels and their actions)
plan_export     the action plan as rows for CSV/XLSX export
"""
