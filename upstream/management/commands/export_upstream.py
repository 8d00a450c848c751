"""export_upstream: an upstream pack (上报数据包) of one form and year, for one enterprise or all
(or a zone), as an .xlsx written through bureau.spreadsheets; --list shows the form specs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enterprises.credit_code import normalize
from enterprises.models import Enterprise
from upstream import packs, specs


class Command(BaseCommand):
    help = "Export an upstream form pack (火炬/科小…) for a year as .xlsx, or --list the forms."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the form specs and exit.")
        parser.add_argument("--form", help="Spec code, e.g. torch-gq002-2022 (see --list).")
        parser.add_argument("--year", type=int)
        parser.add_argument(
            "--enterprise",
            action="append",
            default=[],
            metavar="CREDIT_CODE",
            help="统一社会信用代码; repeat for several. Default: every enterprise on the register.",
        )
        parser.add_argument("--zone", help="Only enterprises of this zone (片区名称).")
        parser.add_argument("--output", help="The .xlsx file to write.")

    def handle(self, *args, **opts):
        registry = specs.load_all()
        if opts["list"]:
            for spec in registry.values():
                self.stdout.write(
                    f"{spec.code}\t{spec.form} {spec.title}\t{spec.approval}\t{spec.unit}\t"
                    f"{len(spec.rows)} rows\t{spec.confidence}"
                )
            return
        for name in ("form", "year", "output"):
            if not opts[name]:
                raise CommandError(f"--{name} is required (or use --list).")
        spec = registry.get(opts["form"])
        if spec is None:
            raise CommandError(f"Unknown form {opts['form']!r}; known: {', '.join(registry)}.")
        qs = Enterprise.objects.all()
        if opts["enterprise"]:
            codes = [normalize(c) for c in opts["enterprise"]]
            qs = qs.filter(credit_code__in=codes)
            found = set(qs.values_list("credit_code", flat=True))
            unknown = [c for c in codes if c not in found]
            if unknown:
                raise CommandError(f"No enterprise with credit code {', '.join(unknown)}.")
        else:
            qs = qs.filter(is_active=True)
        if opts["zone"]:
            qs = qs.filter(zone__name=opts["zone"])
        pack = packs.build_pack(spec, opts["year"], qs)
        Path(opts["output"]).write_bytes(packs.pack_workbook(pack))
        self.stdout.write(
            f"{spec.form} {opts['year']}: {len(pack.enterprises)} enterprise(s) → {opts['output']}"
        )
