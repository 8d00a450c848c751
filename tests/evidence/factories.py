"""A document of the evidence locker, backing a qualification of its own enterprise."""

import factory
from django.core.files.base import ContentFile

from evidence.models import DocumentType, EvidenceDocument
from tests.enterprises.factories import QualificationFactory
from tests.factories import EnterpriseFactory

from .conftest import PDF


class EvidenceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceDocument
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    doc_type = DocumentType.CERTIFICATE
    title = "高新技术企业证书"
    number = factory.Sequence(lambda n: f"GR2024340{n:05d}")
    facts = factory.LazyFunction(lambda: ["revenue_hitech_product"])
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="证书.pdf"))
    original_name = "证书.pdf"
    size = len(PDF)
    content_type = "application/pdf"

    @factory.post_generation
    def qualifications(self, create, extracted, **kwargs):
        if create:
            self.qualifications.add(
                *(extracted or [QualificationFactory(enterprise=self.enterprise)])
            )
