from django.forms.renderers import TemplatesSetting


class NyskapFormRenderer(TemplatesSetting):
    """Every form renders with Designsystemet markup: label, help text, field and error beside it."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
