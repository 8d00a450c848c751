"""The level an incubator had before each approved level application, so that the figures can
read an incubator's level on a past day (incubation.selectors.incubators_as_of).

From now on incubation.services.move_application records it at approval. For applications
approved before this migration it is rebuilt here: an approval after the incubator's first
one replaced the level the previous approval granted; the first one replaced the level the
incubator's own history (django-simple-history) shows just before the level first became the
approved one. Where the history does not show it (the incubator was entered already at that
level), it stays blank: the level before is not known, and the figures count none.
"""

from django.db import migrations, models

APPROVED = "approved"


def fill_previous_levels(apps, schema_editor):
    Application = apps.get_model("incubation", "IncubatorLevelApplication")
    HistoricalIncubator = apps.get_model("incubation", "HistoricalIncubator")
    approved = Application.objects.filter(status=APPROVED, approved_on__isnull=False).order_by(
        "incubator_id", "approved_on", "status_changed_at", "pk"
    )
    last_incubator, last_level = None, ""
    for application in approved.iterator():
        if application.incubator_id != last_incubator:
            levels = list(
                HistoricalIncubator.objects.filter(id=application.incubator_id)
                .order_by("history_date", "history_id")
                .values_list("level", flat=True)
            )
            first = levels.index(application.level) if application.level in levels else 0
            previous = levels[first - 1] if first > 0 else ""
        else:
            previous = last_level
        if previous != application.previous_level:
            application.previous_level = previous
            application.save(update_fields=["previous_level"])
        last_incubator, last_level = application.incubator_id, application.level


class Migration(migrations.Migration):

    dependencies = [
        ('incubation', '0002_rd_platform_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalincubatorlevelapplication',
            name='previous_level',
            field=models.CharField(blank=True, choices=[('national', '国家级'), ('provincial', '省级'), ('municipal', '市级'), ('county', '县级')], help_text='认定时该孵化载体原有的级别，认定时自动记录；空表示原无级别或不详', max_length=12, verbose_name='认定前级别'),
        ),
        migrations.AddField(
            model_name='incubatorlevelapplication',
            name='previous_level',
            field=models.CharField(blank=True, choices=[('national', '国家级'), ('provincial', '省级'), ('municipal', '市级'), ('county', '县级')], help_text='认定时该孵化载体原有的级别，认定时自动记录；空表示原无级别或不详', max_length=12, verbose_name='认定前级别'),
        ),
        migrations.RunPython(fill_previous_levels, migrations.RunPython.noop),
    ]
