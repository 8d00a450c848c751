from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.concurrency import OptimisticLockFormMixin
from bureau.formfields import BureauForm, BureauModelForm
from bureau.uploads import DOCUMENT_KINDS, guard_upload
from enterprises.models import Qualification
from upstream.facts import FACTS

from .models import DocumentType, EvidenceDocument

ACCEPT = ",".join(sorted(DOCUMENT_KINDS)) + ",application/pdf,image/jpeg,image/png"


def fact_choices() -> list[tuple[str, str]]:
    return [(f.name, f"{f.label}（{f.name}）") for f in FACTS.values()]


class DocumentForm(OptimisticLockFormMixin, BureauModelForm):
    """An enterprise's document: its facts from the upstream registry, its file guarded before
    anything is stored (bureau.uploads). On an edit, the file is optional: none keeps the old."""

    facts = forms.MultipleChoiceField(
        label=_("支撑的指标"),
        choices=fact_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("该材料可证明的上报指标，可多选（按住 Ctrl 多选）。"),
    )

    class Meta:
        model = EvidenceDocument
        fields = [
            "doc_type",
            "title",
            "number",
            "issuer",
            "issued_on",
            "year",
            "valid_from",
            "valid_to",
            "facts",
            "file",
        ]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPT})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF、JPEG 或 PNG 文件。")
        if self.instance.pk:
            self.fields["file"].required = False
            self.fields["file"].help_text = _("如需替换文件，请选择新文件；不选择则保留原文件。")
            self.fields["file"].widget = forms.FileInput(attrs={"accept": ACCEPT})

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            guard_upload(upload, set(DOCUMENT_KINDS))
        return upload

    def clean_facts(self) -> list[str]:
        return sorted(set(self.cleaned_data.get("facts") or []))


class DocumentFilterForm(BureauForm):
    """The staff list's filters."""

    q = forms.CharField(label=_("企业名称或代码"), required=False, max_length=100)
    doc_type = forms.ChoiceField(
        label=_("材料类型"), choices=[("", "—"), *DocumentType.choices], required=False
    )
    expiring_within = forms.IntegerField(
        label=_("多少天内到期"), required=False, min_value=0, max_value=3660
    )


class LinkForm(BureauForm):
    """Staff choose which of the enterprise's documents back a qualification."""

    documents = forms.ModelMultipleChoiceField(
        label=_("支撑该资质的证明材料"),
        queryset=EvidenceDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, qualification: Qualification, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = EvidenceDocument.objects.filter(
            enterprise_id=qualification.enterprise_id
        ).order_by("doc_type", "-issued_on", "pk")
        self.fields["documents"].label_from_instance = lambda d: (
            f"{d.get_doc_type_display()} · {d.title} · {d.number or '—'}"
        )
