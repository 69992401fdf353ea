from django import template

from minqing.orgs.masking import mask_name

register = template.Library()
register.filter("mask_name", mask_name)
